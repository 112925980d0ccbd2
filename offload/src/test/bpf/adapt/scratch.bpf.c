// Negative case: a per-CPU scratch buffer (plain stores of computed values, read back later).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct buf { __u32 a; __u32 b; };
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct buf); } scratch SEC(".maps");

SEC("xdp")
int xdp_scratch(struct xdp_md *ctx) {
    __u32 k = 0;
    struct buf *b = bpf_map_lookup_elem(&scratch, &k);
    if (!b) return XDP_PASS;
    b->a = ctx->data_end - ctx->data;
    b->b = ctx->ingress_ifindex;
    return b->a > 100 ? XDP_DROP : XDP_PASS;
}
char _license[] SEC("license") = "GPL";

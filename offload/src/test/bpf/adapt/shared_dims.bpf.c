// A PERCPU_ARRAY (type 6) with max_entries 6: clang encodes both as the one BTF type int[6], so the
// adapter must give the type member a new array type and leave max_entries alone.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 6); __type(key, __u32); __type(value, __u64); } six SEC(".maps");

SEC("xdp")
int xdp_six(struct xdp_md *ctx) {
    __u32 k = ctx->rx_queue_index & 3;
    __u64 *v = bpf_map_lookup_elem(&six, &k);
    if (v) *v += 2;
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

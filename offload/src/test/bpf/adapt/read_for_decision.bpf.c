// Negative case: a per-CPU counter that is also read to decide (rate limit): not adaptable.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } seen SEC(".maps");

SEC("xdp")
int xdp_limit(struct xdp_md *ctx) {
    __u32 k = 0;
    __u64 *v = bpf_map_lookup_elem(&seen, &k);
    if (!v) return XDP_PASS;
    __u64 n = *v + 1;
    *v = n;
    return n > 100 ? XDP_DROP : XDP_PASS;
}
char _license[] SEC("license") = "GPL";

// Negative case: a stored timestamp (a plain store of a computed value, from a helper the NIC lacks).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } last SEC(".maps");

SEC("xdp")
int xdp_stamp(struct xdp_md *ctx) {
    __u32 k = 0;
    __u64 *v = bpf_map_lookup_elem(&last, &k);
    if (v) *v = bpf_ktime_get_ns();
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

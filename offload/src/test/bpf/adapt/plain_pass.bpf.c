// Nothing to adapt: a shared ARRAY counter added to atomically.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } hits SEC(".maps");

SEC("xdp")
int xdp_plain(struct xdp_md *ctx) {
    __u32 k = 0;
    __u64 *v = bpf_map_lookup_elem(&hits, &k);
    if (v) __sync_fetch_and_add(v, 1);
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

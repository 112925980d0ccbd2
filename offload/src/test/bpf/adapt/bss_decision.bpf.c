// A .bss word read for a decision (not only incremented): it cannot move into a map as a counter.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} unused SEC(".maps");

__u64 budget = 0;

SEC("xdp")
int xdp_budget(struct xdp_md *ctx) {
    if (budget > 100)
        return XDP_DROP;
    budget += 1;
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

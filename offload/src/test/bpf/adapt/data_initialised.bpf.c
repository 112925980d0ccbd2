// A .data counter that starts at 7: the map libbpf would create for it starts at zero, so it is refused.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} unused SEC(".maps");

__u64 seen = 7;

SEC("xdp")
int xdp_data_init(struct xdp_md *ctx) {
    seen += 1;
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

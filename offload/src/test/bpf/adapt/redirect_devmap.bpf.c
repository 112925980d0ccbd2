// Never adaptable: a DEVMAP and bpf_redirect_map, which the NIC lacks.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_DEVMAP); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } ports SEC(".maps");

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx) {
    return bpf_redirect_map(&ports, 0, 0);
}
char _license[] SEC("license") = "GPL";

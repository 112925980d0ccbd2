// A counter in .bss (a global variable): libbpf's .bss map is refused by the NIC; not moved yet.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets = 0;

SEC("xdp")
int xdp_bss(struct xdp_md *ctx) {
    packets += 1;
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

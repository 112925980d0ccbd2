// Configuration in const volatile globals (.rodata): a 32-bit action and a 64-bit magic number.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 cfg_action = XDP_PASS;
const volatile __u64 cfg_magic = 0x1122334455ULL;
const volatile __u16 cfg_port = 53;

SEC("xdp")
int xdp_config(struct xdp_md *ctx) {
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    if (data + 8 > end) return XDP_ABORTED;
    if (*(__u64 *)data == cfg_magic) return XDP_DROP;
    if (*(__u16 *)data == cfg_port) return XDP_TX;
    return cfg_action;
}
char _license[] SEC("license") = "GPL";

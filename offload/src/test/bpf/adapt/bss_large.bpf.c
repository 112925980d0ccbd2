// A .bss counter beside a 72-byte table the program never touches: the counter map's value (80 bytes)
// is larger than the NFP's 64-byte limit; the report says so.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} unused SEC(".maps");

__u64 table[9] = {0};
__u64 seen = 0;

SEC("xdp")
int xdp_large(struct xdp_md *ctx) {
    seen += 1;
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

// Counters in .bss and .data, with branches around the counter sites and a bpf-to-bpf call, and a
// BTF map: the adapter moves them into one-element ARRAY maps (nico_bss, nico_data).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} verdicts SEC(".maps");

static __u64 pkts;
__u64 bytes = 0;
__u64 big SEC(".data") = 0;

static __attribute__((noinline)) int classify(struct xdp_md *ctx, __u32 len) {
    if (len < 64) {
        big += 1;
        return XDP_DROP;
    }
    return XDP_PASS;
}

SEC("xdp")
int xdp_globals(struct xdp_md *ctx) {
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    __u32 len = (__u32)(end - data);
    pkts += 1;
    if (len > 1000)
        bytes += len;
    int verdict = classify(ctx, len);
    __u32 k = verdict;
    __u64 *v = bpf_map_lookup_elem(&verdicts, &k);
    if (v)
        __sync_fetch_and_add(v, 1);
    return verdict;
}
char _license[] SEC("license") = "GPL";

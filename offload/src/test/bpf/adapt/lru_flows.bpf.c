// An LRU flow table keyed by the first 4 bytes of the packet, with a per-flow packet counter.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 128); __type(key, __u32); __type(value, __u64); } flows SEC(".maps");

SEC("xdp")
int xdp_flows(struct xdp_md *ctx) {
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    if (data + 4 > end) return XDP_PASS;
    __u32 key = *(__u32 *)data;
    __u64 *v = bpf_map_lookup_elem(&flows, &key);
    if (v) {
        __sync_fetch_and_add(v, 1);
    } else {
        __u64 one = 0;
        bpf_map_update_elem(&flows, &key, &one, BPF_NOEXIST);
    }
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";

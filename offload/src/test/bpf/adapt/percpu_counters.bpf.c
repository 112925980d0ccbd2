// Per-CPU packet counters per XDP action (u64) and per-protocol stats (u32 packets, u64 bytes) in a
// PERCPU_HASH with BPF_F_NO_PREALLOC: every counter is a load/add/store the adapter makes atomic.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 5); __type(key, __u32); __type(value, __u64); } actions SEC(".maps");
struct rec { __u32 packets; __u32 pad; __u64 bytes; };
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 64); __uint(map_flags, BPF_F_NO_PREALLOC);
         __type(key, __u32); __type(value, struct rec); } protos SEC(".maps");

SEC("xdp")
int xdp_percpu(struct xdp_md *ctx) {
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    __u32 action = XDP_PASS;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end) action = XDP_DROP;
    __u64 *cnt = bpf_map_lookup_elem(&actions, &action);
    if (cnt) *cnt += 1;
    if ((void *)(eth + 1) <= end) {
        __u32 proto = eth->h_proto;
        struct rec *r = bpf_map_lookup_elem(&protos, &proto);
        if (!r) {
            struct rec zero = {};
            bpf_map_update_elem(&protos, &proto, &zero, BPF_NOEXIST);
            r = bpf_map_lookup_elem(&protos, &proto);
        }
        if (r) {
            r->packets += 1;
            r->bytes += (__u64)(end - data);
        }
    }
    return action;
}
char _license[] SEC("license") = "GPL";

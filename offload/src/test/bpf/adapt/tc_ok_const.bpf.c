// A TC classifier whose return codes are constants on every path: TC_ACT_OK (refused by the NFP) when
// the packet is not in the block list, TC_ACT_SHOT when it is (counting the hit).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u32); } block SEC(".maps");

SEC("tc")
int tc_block(struct __sk_buff *skb) {
    __u32 key = skb->len;
    __u32 *hits = bpf_map_lookup_elem(&block, &key);
    if (hits) {
        __sync_fetch_and_add(hits, 1);
        return TC_ACT_SHOT;
    }
    return TC_ACT_OK;
}
char _license[] SEC("license") = "GPL";

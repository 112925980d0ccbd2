// A TC classifier returning TC_ACT_OK (refused by the NFP) or TC_ACT_SHOT.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_classify(struct __sk_buff *skb) {
    if (skb->len < 64) return TC_ACT_SHOT;
    return TC_ACT_OK;
}
char _license[] SEC("license") = "GPL";

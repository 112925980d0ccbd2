// SPDX-License-Identifier: GPL-2.0
/* A direct-action TC classifier: counts packets per class (IPv4 TCP, IPv4 UDP, IPv6, other) in a
 * PERCPU_ARRAY, drops IPv4 fragments with a non-zero offset, and lets everything else continue
 * through the stack with TC_ACT_OK. */
#include "parse.h"
#include <linux/pkt_cls.h>

enum { CLASS_TCP4, CLASS_UDP4, CLASS_IPV6, CLASS_OTHER, CLASS_DROPPED, CLASSES };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CLASSES);
	__type(key, __u32);
	__type(value, __u64);
} class_packets SEC(".maps");

static __always_inline void count(__u32 class)
{
	__u64 *v = bpf_map_lookup_elem(&class_packets, &class);

	if (v)
		*v += 1;
}

SEC("tc")
int tc_classifier(struct __sk_buff *skb)
{
	struct cursor c = { .pos = (void *)(long)skb->data, .end = (void *)(long)skb->data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	struct ipv6hdr *ip6;
	int proto, l4;

	proto = parse_eth(&c, &eth);
	if (proto == bpf_htons(ETH_P_IP)) {
		l4 = parse_ipv4(&c, &ip);
		if (l4 >= 0 && (ip->frag_off & bpf_htons(0x1fff))) {
			count(CLASS_DROPPED);
			return TC_ACT_SHOT;
		}
		count(l4 == IPPROTO_TCP ? CLASS_TCP4 : l4 == IPPROTO_UDP ? CLASS_UDP4 : CLASS_OTHER);
	} else if (proto == bpf_htons(ETH_P_IPV6) && parse_ipv6(&c, &ip6) >= 0) {
		count(CLASS_IPV6);
	} else {
		count(CLASS_OTHER);
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";

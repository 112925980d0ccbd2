// SPDX-License-Identifier: GPL-2.0
/* A port filter configured through `const volatile` globals (.rodata, set by a loader before load):
 * TCP or UDP packets to the configured destination port are dropped, ICMP is dropped when asked to;
 * drops are counted per reason in an ARRAY with atomic adds. */
#include "parse.h"

const volatile __u16 blocked_port = 23;
const volatile __u8 drop_icmp = 1;
const volatile __u32 min_len = 60;

enum { DROP_PORT, DROP_ICMP, DROP_SHORT, DROP_REASONS };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DROP_REASONS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static __always_inline int drop(__u32 reason)
{
	__u64 *cnt = bpf_map_lookup_elem(&drops, &reason);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return XDP_DROP;
}

SEC("xdp")
int xdp_port_filter_cfg(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct cursor c = { .pos = data, .end = data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	int l4;

	if (data + min_len > data_end)
		return drop(DROP_SHORT);
	if (parse_eth(&c, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	l4 = parse_ipv4(&c, &ip);
	if (l4 == IPPROTO_ICMP && drop_icmp)
		return drop(DROP_ICMP);
	if (l4 == IPPROTO_TCP) {
		struct tcphdr *tcp = c.pos;

		if ((void *)(tcp + 1) <= c.end && tcp->dest == bpf_htons(blocked_port))
			return drop(DROP_PORT);
	} else if (l4 == IPPROTO_UDP) {
		struct udphdr *udp = c.pos;

		if ((void *)(udp + 1) <= c.end && udp->dest == bpf_htons(blocked_port))
			return drop(DROP_PORT);
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

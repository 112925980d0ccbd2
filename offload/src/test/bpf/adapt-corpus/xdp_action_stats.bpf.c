// SPDX-License-Identifier: GPL-2.0
/* Packet and byte counters per XDP action in a PERCPU_ARRAY, as the XDP tutorials keep them:
 * IPv6 ICMP echo requests are dropped, frames too short for Ethernet are aborted, the rest passes.
 * Userspace sums the per-CPU records. */
#include "parse.h"
#include <linux/icmpv6.h>

struct datarec {
	__u64 rx_packets;
	__u64 rx_bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, XDP_REDIRECT + 1);
} xdp_stats_map SEC(".maps");

static __always_inline __u32 xdp_stats_record_action(struct xdp_md *ctx, __u32 action)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct datarec *rec;

	if (action > XDP_REDIRECT)
		return XDP_ABORTED;
	rec = bpf_map_lookup_elem(&xdp_stats_map, &action);
	if (!rec)
		return XDP_ABORTED;
	rec->rx_packets++;
	rec->rx_bytes += data_end - data;
	return action;
}

SEC("xdp")
int xdp_action_stats(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	struct ipv6hdr *ip6;
	struct icmp6hdr *icmp6;
	__u32 action = XDP_PASS;
	int proto;

	proto = parse_eth(&c, &eth);
	if (proto < 0) {
		action = XDP_ABORTED;
		goto out;
	}
	if (proto != bpf_htons(ETH_P_IPV6))
		goto out;
	if (parse_ipv6(&c, &ip6) != IPPROTO_ICMPV6)
		goto out;
	icmp6 = c.pos;
	if ((void *)(icmp6 + 1) > c.end)
		goto out;
	if (icmp6->icmp6_type == ICMPV6_ECHO_REQUEST)
		action = XDP_DROP;
out:
	return xdp_stats_record_action(ctx, action);
}

char _license[] SEC("license") = "GPL";

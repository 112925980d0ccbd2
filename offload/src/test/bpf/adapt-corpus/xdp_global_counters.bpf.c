// SPDX-License-Identifier: GPL-2.0
/* Counters kept in plain global variables (.bss, zero at load) instead of a map: packets and bytes
 * seen, IPv4 and IPv6 packets, and packets with a truncated header. Userspace reads them through the
 * .bss map (or the skeleton). Every packet passes. */
#include "parse.h"

__u64 rx_packets;
__u64 rx_bytes;
__u64 ipv4_packets;
__u64 ipv6_packets;
__u32 truncated;

SEC("xdp")
int xdp_global_counters(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct cursor c = { .pos = data, .end = data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	struct ipv6hdr *ip6;
	int proto;

	rx_packets++;
	rx_bytes += data_end - data;
	proto = parse_eth(&c, &eth);
	if (proto < 0) {
		truncated++;
		return XDP_PASS;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		if (parse_ipv4(&c, &ip) < 0)
			truncated++;
		else
			ipv4_packets++;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		if (parse_ipv6(&c, &ip6) < 0)
			truncated++;
		else
			ipv6_packets++;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

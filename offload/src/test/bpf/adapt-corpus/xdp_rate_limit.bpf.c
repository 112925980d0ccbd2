// SPDX-License-Identifier: GPL-2.0
/* NOT adaptable (a counter word that is also read for a decision): a crude per-CPU budget for IPv4
 * ICMP, each CPU lets through at most ICMP_BUDGET echo packets and drops the rest; the counter it
 * compares is the one it increments. */
#include "parse.h"

#define ICMP_BUDGET 50

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} icmp_seen SEC(".maps");

SEC("xdp")
int xdp_rate_limit(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	__u32 key = 0;
	__u64 *seen;

	if (parse_eth(&c, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (parse_ipv4(&c, &ip) != IPPROTO_ICMP)
		return XDP_PASS;
	seen = bpf_map_lookup_elem(&icmp_seen, &key);
	if (!seen)
		return XDP_PASS;
	if (*seen >= ICMP_BUDGET)
		return XDP_DROP;
	*seen += 1;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

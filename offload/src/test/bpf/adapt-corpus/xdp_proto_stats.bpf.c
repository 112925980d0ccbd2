// SPDX-License-Identifier: GPL-2.0
/* Per-CPU statistics keyed by IP protocol (IPv4 protocol / IPv6 next header) in a PERCPU_HASH:
 * an entry is created zeroed on first sight, then looked up and counted. Non-IP frames count under
 * key 255. Every packet passes. */
#include "parse.h"

struct proto_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct proto_stats);
} proto_stats SEC(".maps");

SEC("xdp")
int xdp_proto_stats(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct cursor c = { .pos = data, .end = data_end };
	struct proto_stats zero = {}, *st;
	struct ethhdr *eth;
	struct iphdr *ip;
	struct ipv6hdr *ip6;
	__u32 key = 255;
	int proto, l4;

	proto = parse_eth(&c, &eth);
	if (proto == bpf_htons(ETH_P_IP)) {
		l4 = parse_ipv4(&c, &ip);
		if (l4 >= 0)
			key = l4;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		l4 = parse_ipv6(&c, &ip6);
		if (l4 >= 0)
			key = l4;
	}

	st = bpf_map_lookup_elem(&proto_stats, &key);
	if (!st) {
		bpf_map_update_elem(&proto_stats, &key, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&proto_stats, &key);
		if (!st)
			return XDP_PASS;
	}
	st->packets++;
	st->bytes += data_end - data;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

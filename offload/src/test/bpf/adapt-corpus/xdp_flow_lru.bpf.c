// SPDX-License-Identifier: GPL-2.0
/* An IPv4 TCP/UDP flow table in an LRU hash (old flows are evicted when it fills up): each flow's
 * packets and bytes are counted with atomic adds, an entry is created zeroed on a flow's first
 * packet. Packets of flows marked blocked (by userspace, through the value's flag) are dropped. */
#include "parse.h"

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u32 proto;
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	__u32 blocked;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

SEC("xdp")
int xdp_flow_lru(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct cursor c = { .pos = data, .end = data_end };
	struct flow_key key = {};
	struct flow_stats zero = {}, *st;
	struct ethhdr *eth;
	struct iphdr *ip;
	int l4;

	if (parse_eth(&c, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	l4 = parse_ipv4(&c, &ip);
	if (l4 == IPPROTO_TCP) {
		struct tcphdr *tcp = c.pos;

		if ((void *)(tcp + 1) > c.end)
			return XDP_PASS;
		key.sport = tcp->source;
		key.dport = tcp->dest;
	} else if (l4 == IPPROTO_UDP) {
		struct udphdr *udp = c.pos;

		if ((void *)(udp + 1) > c.end)
			return XDP_PASS;
		key.sport = udp->source;
		key.dport = udp->dest;
	} else {
		return XDP_PASS;
	}
	key.saddr = ip->saddr;
	key.daddr = ip->daddr;
	key.proto = l4;

	st = bpf_map_lookup_elem(&flows, &key);
	if (!st) {
		bpf_map_update_elem(&flows, &key, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&flows, &key);
		if (!st)
			return XDP_PASS;
	}
	if (st->blocked)
		return XDP_DROP;
	__sync_fetch_and_add(&st->packets, 1);
	__sync_fetch_and_add(&st->bytes, data_end - data);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

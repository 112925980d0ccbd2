// SPDX-License-Identifier: GPL-2.0
/* NOT adaptable (a per-CPU scratch buffer): the parsed IPv4/L4 header fields are collected in a
 * one-entry PERCPU_ARRAY (a common way around the 512-byte stack in larger programs) and the verdict
 * is computed from that copy: UDP to port 53 from a source in 10.0.0.0/8 is dropped. */
#include "parse.h"

struct pkt_meta {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u32 proto;
	__u32 len;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pkt_meta);
} scratch SEC(".maps");

SEC("xdp")
int xdp_scratch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct cursor c = { .pos = data, .end = data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp;
	struct pkt_meta *m;
	__u32 key = 0;

	m = bpf_map_lookup_elem(&scratch, &key);
	if (!m)
		return XDP_ABORTED;
	if (parse_eth(&c, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (parse_ipv4(&c, &ip) != IPPROTO_UDP)
		return XDP_PASS;
	udp = c.pos;
	if ((void *)(udp + 1) > c.end)
		return XDP_PASS;
	m->saddr = ip->saddr;
	m->daddr = ip->daddr;
	m->sport = udp->source;
	m->dport = udp->dest;
	m->proto = IPPROTO_UDP;
	m->len = data_end - data;
	if (m->dport == bpf_htons(53) && (m->saddr & bpf_htonl(0xff000000)) == bpf_htonl(0x0a000000))
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

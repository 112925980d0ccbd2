/* Header parsing shared by the adapter's corpus programs, in the style of the XDP tutorials:
 * every access is bounds-checked against data_end, at most one 802.1Q/802.1ad tag is skipped. */
#ifndef ADAPT_PARSE_H
#define ADAPT_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

struct cursor {
	void *pos;
	void *end;
};

/* Returns the EtherType in network byte order after at most one VLAN tag, or -1 when truncated. */
static __always_inline int parse_eth(struct cursor *c, struct ethhdr **eth_out)
{
	struct ethhdr *eth = c->pos;
	__u16 proto;

	if ((void *)(eth + 1) > c->end)
		return -1;
	c->pos = eth + 1;
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vh = c->pos;

		if ((void *)(vh + 1) > c->end)
			return -1;
		c->pos = vh + 1;
		proto = vh->encap_proto;
	}
	*eth_out = eth;
	return proto;
}

/* Returns the IPv4 protocol number, or -1 when the header is truncated or malformed. */
static __always_inline int parse_ipv4(struct cursor *c, struct iphdr **ip_out)
{
	struct iphdr *ip = c->pos;
	int hlen;

	if ((void *)(ip + 1) > c->end)
		return -1;
	hlen = ip->ihl * 4;
	if (hlen < (int)sizeof(*ip))
		return -1;
	if (c->pos + hlen > c->end)
		return -1;
	c->pos += hlen;
	*ip_out = ip;
	return ip->protocol;
}

/* Returns the IPv6 next header, or -1 when truncated. Extension headers are not followed. */
static __always_inline int parse_ipv6(struct cursor *c, struct ipv6hdr **ip6_out)
{
	struct ipv6hdr *ip6 = c->pos;

	if ((void *)(ip6 + 1) > c->end)
		return -1;
	c->pos = ip6 + 1;
	*ip6_out = ip6;
	return ip6->nexthdr;
}

#endif

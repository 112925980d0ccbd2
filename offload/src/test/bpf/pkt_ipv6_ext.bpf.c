#include "corpus.h"
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <linux/in6.h>

/* IPv6 extension headers: a bounded loop walks up to 6 headers, each moving the packet pointer by
 * a variable (hdrlen + 1) * 8; then the UDP header is checked and read (accepted) */
SEC("xdp")
int pkt_ipv6_ext(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 1) > end)
		return XDP_PASS;
	__u8 nh = ip6->nexthdr;
	void *p = ip6 + 1;
	for (int i = 0; i < 6; i++) {
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING && nh != IPPROTO_DSTOPTS)
			break;
		struct ipv6_opt_hdr *h = p;
		if ((void *)(h + 1) > end)
			return XDP_PASS;
		nh = h->nexthdr;
		p += ((__u32)h->hdrlen + 1) << 3;
	}
	if (nh != IPPROTO_UDP)
		return XDP_PASS;
	struct udphdr *udp = p;
	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	return udp->dest == bpf_htons(4789) ? XDP_DROP : XDP_PASS;
}

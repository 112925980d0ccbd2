#include "corpus.h"
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/in.h>

/* IPv4 with options: the UDP header sits at a variable offset (ihl * 4), bounds-checked before the
 * load; the packet pointer keeps its type with a variable offset (accepted) */
SEC("xdp")
int pkt_ipv4_options(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	__u32 hl = (ip->ihl & 0xf) << 2;
	if (hl < sizeof(*ip))
		return XDP_PASS;
	struct udphdr *udp = (void *)ip + hl;
	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	return udp->dest == bpf_htons(53) ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/in.h>

/* The shape of a programmable-RSS parser: the IP header fields pick a hash seed over several
 * branches, then parse_udp takes the L4 pointer at the variable offset ihl * 4, checks the UDP
 * header against data_end and folds both ports into a queue (ctx->rx_queue_index store: queue
 * selection), counting packets per queue in an array map (accepted) */
ARRAY_MAP(rss_count, __u64, 64);

static __attribute__((noinline)) __u32 parse_udp(void *l4, void *end, __u32 seed)
{
	struct udphdr *udp = l4;
	if ((void *)(udp + 1) > end)
		return 0;
	return (seed ^ udp->source ^ udp->dest) & 0x3f;
}

SEC("xdp")
int pkt_rss_parse_udp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end)
		return XDP_PASS;
	__u32 seed = 0;
	if (ip->tos == 0x10)
		seed += 3;
	if (ip->ttl == 64)
		seed += 5;
	if (ip->frag_off == 0)
		seed += 9;
	if (ip->saddr == ip->daddr)
		seed += 17;
	if (ip->id == 0)
		seed += 33;
	if (ip->check == 0)
		seed += 65;
	if (ip->tot_len == bpf_htons(576))
		seed += 129;
	__u32 q = 0;
	__u8 *l4 = (__u8 *)ip + ((ip->ihl & 0xf) << 2);
	if (ip->protocol == IPPROTO_UDP)
		q = parse_udp(l4, end, seed);
	else if ((void *)(l4 + 4) <= end)
		q = (seed ^ *(__u16 *)(l4 + 2)) & 0x3f;
	__u64 *cnt = bpf_map_lookup_elem(&rss_count, &q);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	ctx->rx_queue_index = q;
	return XDP_PASS;
}

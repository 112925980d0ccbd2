#include "corpus.h"
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/in.h>

/* A tail-growing loop: walks up to 10 TCP options (kind, length) with a bounded loop; the
 * option pointer grows by a variable length each round. Counts packets with an MSS option. */
ARRAY_MAP(mss_seen, __u64, 1);

SEC("xdp")
int loop_tcp_options10(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl != 5 || ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	struct tcphdr *tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > end)
		return XDP_PASS;
	__u8 *opt = (void *)(tcp + 1);
	int found = 0;
	for (int i = 0; i < 10; i++) {
		if ((void *)(opt + 2) > end)
			break;
		__u8 kind = opt[0];
		if (kind == 0)
			break;
		if (kind == 1) {
			opt++;
			continue;
		}
		__u8 len = opt[1];
		if (len < 2 || len > 40)
			break;
		if (kind == 2)
			found = 1;
		opt += len;
	}
	if (found) {
		__u32 k = 0;
		__u64 *cnt = bpf_map_lookup_elem(&mss_seen, &k);
		if (cnt)
			__sync_fetch_and_add(cnt, 1);
	}
	return XDP_PASS;
}

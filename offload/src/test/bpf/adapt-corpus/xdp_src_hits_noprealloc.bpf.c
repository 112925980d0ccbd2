// SPDX-License-Identifier: GPL-2.0
/* A source-address watch list in a HASH allocated on demand (BPF_F_NO_PREALLOC): userspace adds
 * the IPv4 sources to watch; the program counts their packets and bytes with atomic adds and drops
 * them when the entry's action says so. */
#include "parse.h"

struct watch {
	__u64 packets;
	__u64 bytes;
	__u32 action;	/* XDP_PASS or XDP_DROP, written by userspace */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __be32);
	__type(value, struct watch);
} watched SEC(".maps");

SEC("xdp")
int xdp_src_hits_noprealloc(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct cursor c = { .pos = data, .end = data_end };
	struct ethhdr *eth;
	struct iphdr *ip;
	struct watch *w;
	__be32 saddr;

	if (parse_eth(&c, &eth) != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (parse_ipv4(&c, &ip) < 0)
		return XDP_PASS;
	saddr = ip->saddr;
	w = bpf_map_lookup_elem(&watched, &saddr);
	if (!w)
		return XDP_PASS;
	__sync_fetch_and_add(&w->packets, 1);
	__sync_fetch_and_add(&w->bytes, data_end - data);
	return w->action == XDP_DROP ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// Drops IPv4 packets whose source address is a key of the HASH map "blocked"
// and counts the drops per address with an atomic add (the only map-value
// write an NFP accepts). The host fills the map: key = the address in network
// byte order (as in the IP header), value = a u64 drop counter starting at 0.
// max_entries is 2 because netdevsim refuses bigger offloaded maps (ENOMEM);
// on an Agilio NIC raise it to the size of your list.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} blocked SEC(".maps");

SEC("xdp")
int xdp_blocklist(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 saddr;
	__u64 *drops;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	saddr = ip->saddr;
	drops = bpf_map_lookup_elem(&blocked, &saddr);
	if (!drops)
		return XDP_PASS;
	__sync_fetch_and_add(drops, 1);
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";

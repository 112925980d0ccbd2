// SPDX-License-Identifier: GPL-2.0
/* NOT adaptable (a stored timestamp): per EtherType class, a per-CPU record of packets and of the
 * time the last one was seen (bpf_ktime_get_ns), for an idle-link monitor. */
#include "parse.h"

struct seen {
	__u64 packets;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct seen);
} last_seen SEC(".maps");

SEC("xdp")
int xdp_last_seen(struct xdp_md *ctx)
{
	struct cursor c = { .pos = (void *)(long)ctx->data, .end = (void *)(long)ctx->data_end };
	struct ethhdr *eth;
	struct seen *s;
	__u32 key;
	int proto;

	proto = parse_eth(&c, &eth);
	key = proto == bpf_htons(ETH_P_IP) ? 0 : proto == bpf_htons(ETH_P_IPV6) ? 1 : 2;
	s = bpf_map_lookup_elem(&last_seen, &key);
	if (s) {
		s->packets++;
		s->last_ns = bpf_ktime_get_ns();
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

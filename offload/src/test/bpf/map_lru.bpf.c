#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} recent SEC(".maps");

SEC("xdp")
int map_lru(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&recent, &k) ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

/* Several refused maps: the kernel fails on the first one libbpf creates (the order of the .maps
 * DATASEC, which clang 14 emits last-declared first, then global data), while the program uses
 * big_first first */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u8[120]);
} big_first SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} lru_second SEC(".maps");

__u64 total;

SEC("xdp")
int map_order(struct xdp_md *ctx)
{
	__u32 k = 0;
	if (bpf_map_lookup_elem(&big_first, &k))
		return XDP_DROP;
	__u64 *v = bpf_map_lookup_elem(&lru_second, &k);
	if (v)
		return XDP_DROP;
	return total ? XDP_DROP : XDP_PASS;
}

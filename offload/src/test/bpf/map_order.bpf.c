#include "corpus.h"

/* Several refused maps: the kernel fails on the first one libbpf creates (the .maps DATASEC's
 * order, then the global data sections), while the program uses its .bss variable first */
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
	if (total > 5)
		return XDP_DROP;
	__u32 k = ctx->data_end - ctx->data;
	if (bpf_map_lookup_elem(&big_first, &k))
		return XDP_DROP;
	if (bpf_map_lookup_elem(&lru_second, &k))
		return XDP_DROP;
	return XDP_PASS;
}

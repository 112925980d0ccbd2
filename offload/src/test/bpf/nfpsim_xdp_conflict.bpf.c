#include "corpus.h"

ARRAY_MAP(stats, __u64, 2);

/* reads and atomically increments the same 32-bit word of a map value */
SEC("xdp")
int nfpsim_xdp_conflict(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *c = bpf_map_lookup_elem(&stats, &k);
	if (!c)
		return XDP_PASS;
	if (*(volatile __u32 *)c > 100)
		return XDP_DROP;
	__sync_fetch_and_add(c, 1);
	return XDP_PASS;
}

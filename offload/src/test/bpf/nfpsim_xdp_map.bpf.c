#include "corpus.h"

ARRAY_MAP(pkts, __u64, 8);

/* per-queue packet counter: lookup with a stack key, atomic add */
SEC("xdp")
int nfpsim_xdp_map(struct xdp_md *ctx)
{
	__u32 q = 1;
	__u64 *n = bpf_map_lookup_elem(&pkts, &q);
	if (n)
		__sync_fetch_and_add(n, 1);
	return XDP_PASS;
}

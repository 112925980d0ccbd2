#include "corpus.h"

ARRAY_MAP(hits, __u64, 1);

/* atomic add first, then a read of the same word: "atomic vs read" */
SEC("xdp")
int atomic_then_read(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *c = bpf_map_lookup_elem(&hits, &k);
	if (!c)
		return XDP_PASS;
	__sync_fetch_and_add(c, 1);
	return *(volatile __u32 *)c > 7 ? XDP_DROP : XDP_PASS;
}

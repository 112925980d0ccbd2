#include "corpus.h"

ARRAY_MAP(idx, __u32, 1);
ARRAY_MAP(vals, __u64, 4);

/* lookup keyed by a map value pointer instead of the stack */
SEC("xdp")
int helper_key_in_map(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u32 *i = bpf_map_lookup_elem(&idx, &k);
	if (!i)
		return XDP_PASS;
	return bpf_map_lookup_elem(&vals, i) ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

ARRAY_MAP(small, __u64, 1);

/* a read past the end of an 8-byte value */
SEC("xdp")
int mapval_oob(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u32 *v = bpf_map_lookup_elem(&small, &k);
	if (!v)
		return XDP_PASS;
	return v[3] ? XDP_DROP : XDP_PASS;
}

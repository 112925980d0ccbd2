#include "corpus.h"

ARRAY_MAP(rows, __u64, 1);

/* a map value read at a variable offset */
SEC("xdp")
int mapval_variable(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u8 *v = bpf_map_lookup_elem(&rows, &k);
	if (!v)
		return XDP_PASS;
	return v[(ctx->data_end - ctx->data) & 7] ? XDP_DROP : XDP_PASS;
}

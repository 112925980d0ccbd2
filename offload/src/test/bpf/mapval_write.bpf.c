#include "corpus.h"

ARRAY_MAP(state, __u64, 1);

/* a plain store into a map value */
SEC("xdp")
int mapval_write(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&state, &k);
	if (v)
		*v = ctx->data_end;
	return XDP_PASS;
}

#include "corpus.h"

ARRAY_MAP(tbl, __u64, 4);

/* lookup key at a variable stack offset */
SEC("xdp")
int helper_key_variable(struct xdp_md *ctx)
{
	__u32 len = (ctx->data_end - ctx->data);
	__u32 keys[4];
	keys[0] = len;
	keys[1] = len >> 1;
	keys[2] = len >> 2;
	keys[3] = len >> 3;
	__u32 i = len & 3;
	return bpf_map_lookup_elem(&tbl, &keys[i]) ? XDP_DROP : XDP_PASS;
}

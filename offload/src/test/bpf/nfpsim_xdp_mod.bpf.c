#include "corpus.h"

/* remainder by a value computed at run time: DIV by a register */
SEC("xdp")
int nfpsim_xdp_mod(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 d = (len >> 3) | 3;
	return (len % d) ? XDP_PASS : XDP_DROP;
}

#include "corpus.h"

// cflags: -mcpu=v3
/* 32-bit divide by a constant with a bounded dividend: NFP uses a reciprocal multiply */
SEC("xdp")
int nfpsim_xdp_div32(struct xdp_md *ctx)
{
	__u32 len = (ctx->data_end - ctx->data) & 0x3fff;
	return ((len / 9) & 1) ? XDP_PASS : XDP_DROP;
}

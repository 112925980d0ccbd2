#include "corpus.h"

/* 64-bit "len % 5": DIV by constant, then MUL of a value the 6.1 verifier no longer bounds */
SEC("xdp")
int nfpsim_xdp_div(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	return (len % 5) ? XDP_PASS : XDP_DROP;
}

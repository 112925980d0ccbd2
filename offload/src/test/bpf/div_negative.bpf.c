#include "corpus.h"

/* DIV by a negative immediate (only assembly can write it) */
SEC("xdp")
int div_negative(struct xdp_md *ctx)
{
	__u64 x = (ctx->data_end - ctx->data) & 0xffff;
	asm volatile("%0 /= -3" : "+r"(x));
	return x & 1 ? XDP_PASS : XDP_DROP;
}

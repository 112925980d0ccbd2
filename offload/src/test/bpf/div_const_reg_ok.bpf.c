#include "corpus.h"

/* accepted: DIV by a register that holds the same constant on every path */
SEC("xdp")
int div_const_reg_ok(struct xdp_md *ctx)
{
	__u64 x = (ctx->data_end - ctx->data) & 0xffff, d = 12;
	asm volatile("%0 /= %1" : "+r"(x) : "r"(d));
	return x & 1 ? XDP_PASS : XDP_DROP;
}

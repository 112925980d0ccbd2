#include "corpus.h"

/* ALU64 MUL by a negative immediate is sign extended */
SEC("xdp")
int mul_negative_imm(struct xdp_md *ctx)
{
	__u64 a = (ctx->data_end - ctx->data) & 0xff;
	asm volatile("%0 *= -3" : "+r"(a));
	return a & 1 ? XDP_PASS : XDP_DROP;
}

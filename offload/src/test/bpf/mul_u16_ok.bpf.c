#include "corpus.h"

/* accepted: 32-bit values multiplied */
SEC("xdp")
int mul_u16_ok(struct xdp_md *ctx)
{
	__u64 len = (ctx->data_end - ctx->data);
	__u64 a = len & 0xfff, b = (len >> 4) & 0xff;
	asm volatile("%0 *= %1" : "+r"(a) : "r"(b));
	return a & 1 ? XDP_PASS : XDP_DROP;
}

#include "corpus.h"

/* accepted twin of op_le16: END to-BE (0xdc) is supported */
SEC("xdp")
int op_be16_ok(struct xdp_md *ctx)
{
	__u64 x = ctx->data;
	asm volatile("%0 = be16 %0" : "+r"(x));
	return x & 1 ? XDP_PASS : XDP_DROP;
}

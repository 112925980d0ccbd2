#include "corpus.h"

/* a load through a stack pointer with a variable offset */
SEC("xdp")
int stack_variable(struct xdp_md *ctx)
{
	volatile __u8 buf[16] = {};
	return buf[(ctx->data_end - ctx->data) & 15] ? XDP_DROP : XDP_PASS;
}

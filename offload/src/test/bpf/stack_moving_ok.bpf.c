#include "corpus.h"

/* accepted twin: the offsets differ by a multiple of 4 */
SEC("xdp")
int stack_moving_ok(struct xdp_md *ctx)
{
	__u64 c = (ctx->data_end - ctx->data) & 1;
	int r;
	asm volatile("r2 = 0; *(u64 *)(r10 - 8) = r2; *(u64 *)(r10 - 16) = r2;"
		     "r2 = r10; r2 += -8; if %[c] == 0 goto 1f; r2 = r10; r2 += -12;"
		     "1: %[r] = *(u8 *)(r2 + 0)"
		     : [r] "=r"(r) : [c] "r"(c) : "r2", "memory");
	return r ? XDP_DROP : XDP_PASS;
}

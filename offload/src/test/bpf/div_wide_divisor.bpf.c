#include "corpus.h"

/* a constant divisor register above u32 */
SEC("xdp")
int div_wide_divisor(struct xdp_md *ctx)
{
	__u64 x = (ctx->data_end - ctx->data) & 0xffff, d = 0x100000007ULL;
	asm volatile("%0 /= %1" : "+r"(x) : "r"(d));
	return x & 1 ? XDP_PASS : XDP_DROP;
}

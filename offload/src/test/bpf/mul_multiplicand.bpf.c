#include "corpus.h"

ARRAY_MAP(wide, __u64, 1);

/* MUL by a register whose value is not within u32 */
SEC("xdp")
int mul_multiplicand(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *w = bpf_map_lookup_elem(&wide, &k);
	if (!w)
		return XDP_PASS;
	__u64 a = (ctx->data_end - ctx->data) & 0xff, b = *w;
	asm volatile("%0 *= %1" : "+r"(a) : "r"(b));
	return a & 1 ? XDP_PASS : XDP_DROP;
}

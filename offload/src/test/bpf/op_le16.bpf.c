#include "corpus.h"

/* END to-LE (0xd4, bpf_htole16 style): not supported */
SEC("xdp")
int op_le16(struct xdp_md *ctx)
{
	__u64 x = ctx->data;
	asm volatile("%0 = le16 %0" : "+r"(x));
	return x & 1 ? XDP_PASS : XDP_DROP;
}

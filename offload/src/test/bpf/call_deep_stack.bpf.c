#include "corpus.h"

/* bpf-to-bpf calls whose frames add up beyond the firmware stack once the NFP rounds each frame
 * to 64 bytes and adds the return address (and 32 bytes for callee-saved registers) */
static __attribute__((noinline)) int leaf(int x)
{
	volatile __u32 buf[40];
	buf[0] = x;
	buf[39] = x + 1;
	return buf[0] + buf[39];
}

static __attribute__((noinline)) int mid(int x)
{
	volatile __u32 buf[40];
	buf[0] = x;
	buf[39] = leaf(x);
	return buf[0] + buf[39];
}

SEC("xdp")
int call_deep_stack(struct xdp_md *ctx)
{
	volatile __u32 buf[40];
	buf[0] = ctx->data_end - ctx->data;
	buf[39] = mid(buf[0]);
	return buf[39] > 4 ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

/* a non-inlined subprogram with its own stack slot */
static __attribute__((noinline)) int check_len(struct xdp_md *ctx, int min)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	volatile int m = min;
	if (data + ETH_HLEN > end)
		return XDP_ABORTED;
	return m > 1 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int nfpsim_xdp_call(struct xdp_md *ctx)
{
	int v = check_len(ctx, 3);
	return v == XDP_ABORTED ? XDP_DROP : v;
}

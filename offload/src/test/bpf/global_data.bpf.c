#include "corpus.h"

volatile __u32 threshold = 100;

/* global data lives in a host map */
SEC("xdp")
int global_data(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data > threshold ? XDP_DROP : XDP_PASS;
}

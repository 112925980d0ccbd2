#include "corpus.h"

/* XDP queue selection: needs the QUEUE_SELECT capability */
SEC("xdp")
int ctx_queue_select(struct xdp_md *ctx)
{
	ctx->rx_queue_index = (ctx->data_end - ctx->data) & 7;
	return XDP_PASS;
}

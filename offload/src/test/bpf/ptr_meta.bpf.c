#include "corpus.h"

/* loads through data_meta (PTR_TO_PACKET_META) */
SEC("xdp")
int ptr_meta(struct xdp_md *ctx)
{
	void *meta = (void *)(long)ctx->data_meta, *data = (void *)(long)ctx->data;
	if (meta + 4 > data)
		return XDP_PASS;
	return *(__u32 *)meta ? XDP_DROP : XDP_PASS;
}

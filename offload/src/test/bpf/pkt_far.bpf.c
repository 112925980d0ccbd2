#include "corpus.h"

/* reads byte 3000 of the packet: beyond the 2016-byte split boundary when the MTU allows it */
SEC("xdp")
int pkt_far(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	if (data + 3001 > end)
		return XDP_PASS;
	return data[3000] ? XDP_DROP : XDP_PASS;
}

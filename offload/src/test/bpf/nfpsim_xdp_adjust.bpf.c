#include "corpus.h"

/* pops a 14-byte header with a constant delta, then trims 4 bytes of tail */
SEC("xdp")
int nfpsim_xdp_adjust(struct xdp_md *ctx)
{
	if (bpf_xdp_adjust_head(ctx, ETH_HLEN) != 0)
		return XDP_DROP;
	return bpf_xdp_adjust_tail(ctx, -4) ? XDP_DROP : XDP_PASS;
}

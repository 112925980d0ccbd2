#include "corpus.h"

/* adjust_tail can only shrink on the NFP: a positive delta always fails (warning) */
SEC("xdp")
int helper_tail_grow(struct xdp_md *ctx)
{
	return bpf_xdp_adjust_tail(ctx, 8) ? XDP_DROP : XDP_PASS;
}

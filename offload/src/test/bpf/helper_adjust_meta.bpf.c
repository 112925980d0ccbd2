#include "corpus.h"

/* bpf_xdp_adjust_meta is not offloadable */
SEC("xdp")
int helper_adjust_meta(struct xdp_md *ctx)
{
	return bpf_xdp_adjust_meta(ctx, -4) ? XDP_DROP : XDP_PASS;
}

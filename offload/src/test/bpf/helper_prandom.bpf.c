#include "corpus.h"

/* bpf_get_prandom_u32 needs the firmware's RANDOM capability */
SEC("xdp")
int helper_prandom(struct xdp_md *ctx)
{
	return bpf_get_prandom_u32() & 1 ? XDP_PASS : XDP_DROP;
}

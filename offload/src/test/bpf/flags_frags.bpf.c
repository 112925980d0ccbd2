#include "corpus.h"

/* xdp.frags sets BPF_F_XDP_HAS_FRAGS */
SEC("xdp.frags")
int flags_frags(struct xdp_md *ctx)
{
	return XDP_PASS;
}

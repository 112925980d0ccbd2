#include "corpus.h"

/* xdp_md.ingress_ifindex passes the verifier hook but not the NFP JIT */
SEC("xdp")
int ctx_xdp_ifindex(struct xdp_md *ctx)
{
	return ctx->ingress_ifindex == 3 ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

/* XDP_REDIRECT without a redirect helper: the NFP treats return values above 3 as aborted (warning) */
SEC("xdp")
int exit_xdp_redirect(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data > 1000 ? XDP_REDIRECT : XDP_PASS;
}

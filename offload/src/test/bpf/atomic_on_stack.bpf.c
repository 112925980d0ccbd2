#include "corpus.h"

/* atomic add to a stack slot instead of a map value */
SEC("xdp")
int atomic_on_stack(struct xdp_md *ctx)
{
	__u64 local = ctx->data_end - ctx->data;
	__sync_fetch_and_add(&local, 1);
	return local & 1 ? XDP_PASS : XDP_DROP;
}

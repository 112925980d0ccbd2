#include "corpus.h"

/* A small .bss holding only a static variable: its flags-0 map is created on the device, then the
 * verifier refuses the direct value access (offloaded maps have none) */
static volatile __u32 last_len;

SEC("xdp")
int global_bss_small(struct xdp_md *ctx)
{
	return last_len > 100 ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

/* A .bss holding only static variables: libbpf gives its map no flags, so it is bound to the device
 * like any other map and the driver's size rules apply: key 4 and value 296 round up to 8 + 296 =
 * 304 bytes > 128 */
static volatile __u8 seen[296];

SEC("xdp")
int global_bss_static(struct xdp_md *ctx)
{
	return seen[7] ? XDP_DROP : XDP_PASS;
}

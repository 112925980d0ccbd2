#include "corpus.h"

ARRAY_MAP(acc, __u64, 1);

/* atomic add of a pointer value (the context) */
SEC("xdp")
int atomic_of_pointer(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *c = bpf_map_lookup_elem(&acc, &k);
	if (c)
		__sync_fetch_and_add(c, (__u64)(long)ctx);
	return XDP_PASS;
}

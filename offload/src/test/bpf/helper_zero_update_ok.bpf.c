#include "corpus.h"

ARRAY_MAP(zc, __u64, 1);

/* accepted: an atomic counter reset by updating it with zero */
SEC("xdp")
int helper_zero_update_ok(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&zc, &k);
	if (c)
		__sync_fetch_and_add(c, 1);
	bpf_map_update_elem(&zc, &k, &zero, BPF_ANY);
	return XDP_PASS;
}

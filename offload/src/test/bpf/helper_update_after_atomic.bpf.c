#include "corpus.h"

ARRAY_MAP(cnt, __u64, 1);

/* the same map word is an atomic counter and later updated with a non-zero value */
SEC("xdp")
int helper_update_after_atomic(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 init = 1;
	__u64 *c = bpf_map_lookup_elem(&cnt, &k);
	if (c)
		__sync_fetch_and_add(c, 1);
	bpf_map_update_elem(&cnt, &k, &init, BPF_ANY);
	return XDP_PASS;
}

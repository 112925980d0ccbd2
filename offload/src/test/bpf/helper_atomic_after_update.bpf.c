#include "corpus.h"

ARRAY_MAP(seq, __u64, 1);

/* a non-zero update first, then the word becomes an atomic counter */
SEC("xdp")
int helper_atomic_after_update(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 init = 1;
	bpf_map_update_elem(&seq, &k, &init, BPF_ANY);
	__u64 *c = bpf_map_lookup_elem(&seq, &k);
	if (c)
		__sync_fetch_and_add(c, 1);
	return XDP_PASS;
}

#include "corpus.h"

// cflags: -mcpu=v3
ARRAY_MAP(ctrs, __u64, 1);

/* fetch-add (BPF_ADD | BPF_FETCH = 1): the old value is used */
SEC("xdp")
int atomic_fetch_add(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *c = bpf_map_lookup_elem(&ctrs, &k);
	if (!c)
		return XDP_PASS;
	return __sync_fetch_and_add(c, 1) > 10 ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

ARRAY_MAP(alt, __u64, 1);

/* one load reads the stack on one path and a map value on the other */
SEC("xdp")
int ptr_changes(struct xdp_md *ctx)
{
	__u32 k = 0;
	volatile __u64 local = 5;
	__u64 *p = bpf_map_lookup_elem(&alt, &k);
	if (!p)
		p = (__u64 *)&local;
	return *p > 3 ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

// cflags: -mcpu=v3
ARRAY_MAP(slots, __u64, 1);

/* exchange (BPF_XCHG = 0xe1) */
SEC("xdp")
int atomic_xchg(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *c = bpf_map_lookup_elem(&slots, &k);
	if (!c)
		return XDP_PASS;
	return __sync_lock_test_and_set(c, 5) ? XDP_DROP : XDP_PASS;
}

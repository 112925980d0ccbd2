#include "corpus.h"

struct pair { __u32 limit; __u32 pad; __u64 count; };
ARRAY_MAP(cfg, struct pair, 1);

/* accepted: reads one word, atomically adds to another */
SEC("xdp")
int atomic_other_word_ok(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct pair *p = bpf_map_lookup_elem(&cfg, &k);
	if (!p)
		return XDP_PASS;
	if (p->limit > 9)
		return XDP_DROP;
	__sync_fetch_and_add(&p->count, 1);
	return XDP_PASS;
}

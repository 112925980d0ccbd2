#include "corpus.h"

ARRAY_MAP(big, __u64, 1);

/* 64-bit dividend from a map value */
SEC("xdp")
int div_dividend(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&big, &k);
	if (!v)
		return XDP_PASS;
	__u64 x = *v;
	asm volatile("%0 /= 10" : "+r"(x));
	return x & 1 ? XDP_PASS : XDP_DROP;
}

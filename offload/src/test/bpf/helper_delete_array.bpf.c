#include "corpus.h"

ARRAY_MAP(arr, __u32, 4);

/* delete on an array always fails on an offloaded array (warning) */
SEC("xdp")
int helper_delete_array(struct xdp_md *ctx)
{
	__u32 k = 1;
	bpf_map_delete_elem(&arr, &k);
	return XDP_PASS;
}

#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} flows SEC(".maps");

/* accepted: lookup, update and delete on an offloaded hash */
SEC("xdp")
int helper_delete_hash_ok(struct xdp_md *ctx)
{
	__u32 k = (ctx->data_end - ctx->data) & 63, v = 1;
	if (bpf_map_lookup_elem(&flows, &k))
		bpf_map_delete_elem(&flows, &k);
	else
		bpf_map_update_elem(&flows, &k, &v, BPF_ANY);
	return XDP_PASS;
}

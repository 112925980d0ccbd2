#include "corpus.h"

/* the pre-BTF map definition in a "maps" section (struct bpf_map_def layout) */
struct legacy_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};
struct legacy_map_def legacy_counts SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 32,
};

SEC("xdp")
int legacy_maps(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&legacy_counts, &k) ? XDP_DROP : XDP_PASS;
}

#include "corpus.h"

/* A map definition whose key is given twice with different sizes: refused at open */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__uint(key_size, 8);
	__type(key, __u32);
	__type(value, __u64);
} flows SEC(".maps");

SEC("xdp")
int open_conflicting_size(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&flows, &k) ? XDP_DROP : XDP_PASS;
}

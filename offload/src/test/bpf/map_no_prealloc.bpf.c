#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u32);
} lazy SEC(".maps");

SEC("xdp")
int map_no_prealloc(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&lazy, &k) ? XDP_DROP : XDP_PASS;
}

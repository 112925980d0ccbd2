#include "corpus.h"

/* A static map definition: libbpf 1.1 refuses it at open ("unsupported map linkage static") */
static struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hidden SEC(".maps");

SEC("xdp")
int open_static_map(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&hidden, &k) ? XDP_DROP : XDP_PASS;
}

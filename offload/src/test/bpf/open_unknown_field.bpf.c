#include "corpus.h"

/* A map definition with a field libbpf does not know: refused at open ("unknown field") */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(max_entrys, 2);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int open_unknown_field(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&counts, &k) ? XDP_DROP : XDP_PASS;
}

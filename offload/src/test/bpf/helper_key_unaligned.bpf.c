#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u16);
	__type(value, __u32);
} ports SEC(".maps");

/* a 2-byte key at a stack offset that is not a multiple of 4 */
SEC("xdp")
int helper_key_unaligned(struct xdp_md *ctx)
{
	__u16 buf[4] = {1, 2, 3, 4};
	return bpf_map_lookup_elem(&ports, &buf[1]) ? XDP_DROP : XDP_PASS;
}

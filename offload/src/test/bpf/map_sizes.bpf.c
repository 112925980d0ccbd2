#include "corpus.h"

struct big_key { __u8 b[72]; };
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, struct big_key);
	__type(value, __u32);
} wide_keys SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct big_key);
} wide_vals SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2097152);
	__type(key, __u32);
	__type(value, __u32);
} many SEC(".maps");

/* key too large, value too large, too many elements */
SEC("xdp")
int map_sizes(struct xdp_md *ctx)
{
	struct big_key bk = {};
	__u32 k = 0;
	int r = 0;
	r |= bpf_map_lookup_elem(&wide_keys, &bk) != 0;
	r |= bpf_map_lookup_elem(&wide_vals, &k) != 0;
	r |= bpf_map_lookup_elem(&many, &k) != 0;
	return r ? XDP_DROP : XDP_PASS;
}

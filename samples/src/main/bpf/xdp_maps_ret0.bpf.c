// SPDX-License-Identifier: GPL-2.0
// A HASH and an ARRAY map (u32 key, 8-byte value, 2 entries each), in the spirit of the
// kernel's sample_map_ret0: the program returns the value stored under key 1 in either map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} htab SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} array SEC(".maps");

SEC("xdp")
int xdp_maps_ret0(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 *value;

	value = bpf_map_lookup_elem(&htab, &key);
	if (!value)
		return XDP_PASS;
	value = bpf_map_lookup_elem(&array, &key);
	if (!value)
		return XDP_PASS;
	return *value ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

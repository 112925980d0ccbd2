// SPDX-License-Identifier: GPL-2.0
// Counts packets the way most real XDP programs do: a plain increment of slot 0 of a per-CPU array.
// The NIC refuses it as written (per-CPU maps; plain stores into map values); the adapter makes the
// map a shared ARRAY and the increment an atomic add (docs/adapting.md).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} packets SEC(".maps");

SEC("xdp")
int xdp_percpu_counter(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *count = bpf_map_lookup_elem(&packets, &key);

	if (count)
		*count += 1;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

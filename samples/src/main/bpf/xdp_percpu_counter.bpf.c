// SPDX-License-Identifier: GPL-2.0
// Counts packets and bytes in slot 0 of a PERCPU_ARRAY the usual way (one copy per CPU, plain
// increments). An NFP refuses it as written; `nicoffload adapt` makes the map a shared ARRAY and the
// increments atomic adds (samples/jshell/adapt-percpu.jsh).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counts {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counts);
} stats SEC(".maps");

SEC("xdp")
int xdp_percpu_counter(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct counts *c = bpf_map_lookup_elem(&stats, &key);

	if (c) {
		c->packets++;
		c->bytes += ctx->data_end - ctx->data;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

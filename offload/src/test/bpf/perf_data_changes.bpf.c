#include "corpus.h"

PERF_MAP(ev3);
ARRAY_MAP(src, __u64, 1);

/* one call site, data from the stack on one path and from a map value on the other */
SEC("xdp")
int perf_data_changes(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 local = 3;
	void *p = bpf_map_lookup_elem(&src, &k);
	if (!p)
		p = &local;
	bpf_perf_event_output(ctx, &ev3, BPF_F_CURRENT_CPU, p, 4);
	return XDP_PASS;
}

#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} ev SEC(".maps");

/* flags must be BPF_F_CURRENT_CPU */
SEC("xdp")
int perf_flags_zero(struct xdp_md *ctx)
{
	__u32 v = 7;
	bpf_perf_event_output(ctx, &ev, 0, &v, sizeof(v));
	return XDP_PASS;
}

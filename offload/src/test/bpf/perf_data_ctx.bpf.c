#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} ev2 SEC(".maps");

/* the data pointer is the context */
SEC("xdp")
int perf_data_ctx(struct xdp_md *ctx)
{
	bpf_perf_event_output(ctx, &ev2, BPF_F_CURRENT_CPU, ctx, 4);
	return XDP_PASS;
}

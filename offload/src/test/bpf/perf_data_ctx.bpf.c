#include "corpus.h"

PERF_MAP(ev2);

/* the data pointer is the context */
SEC("xdp")
int perf_data_ctx(struct xdp_md *ctx)
{
	bpf_perf_event_output(ctx, &ev2, BPF_F_CURRENT_CPU, ctx, 4);
	return XDP_PASS;
}

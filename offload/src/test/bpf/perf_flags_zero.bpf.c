#include "corpus.h"

PERF_MAP(ev);

/* flags must be BPF_F_CURRENT_CPU */
SEC("xdp")
int perf_flags_zero(struct xdp_md *ctx)
{
	__u32 v = 7;
	bpf_perf_event_output(ctx, &ev, 0, &v, sizeof(v));
	return XDP_PASS;
}

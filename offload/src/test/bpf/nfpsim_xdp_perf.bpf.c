#include "corpus.h"

PERF_MAP(samples);

/* a 4-byte sample from the stack to the host perf ring */
SEC("xdp")
int nfpsim_xdp_perf(struct xdp_md *ctx)
{
	__u32 tag = 0xabcd;
	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &tag, sizeof(tag));
	return XDP_PASS;
}

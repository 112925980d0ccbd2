#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

/* a 4-byte sample from the stack to the host perf ring */
SEC("xdp")
int nfpsim_xdp_perf(struct xdp_md *ctx)
{
	__u32 tag = 0xabcd;
	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &tag, sizeof(tag));
	return XDP_PASS;
}

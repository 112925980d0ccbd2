#include "corpus.h"

SEC("xdp")
int nfpsim_xdp_ktime(struct xdp_md *ctx)
{
	return (bpf_ktime_get_ns() >> 3) & 1 ? XDP_PASS : XDP_DROP;
}

#include "corpus.h"

/* A const global: libbpf's .rodata map has BPF_F_RDONLY_PROG, which the driver refuses */
const volatile __u32 limit = 1000;

SEC("xdp")
int global_rodata(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data > limit ? XDP_DROP : XDP_PASS;
}

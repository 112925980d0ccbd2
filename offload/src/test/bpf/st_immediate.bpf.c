#include "corpus.h"

/* BPF_ST (store immediate): never translated by the NFP JIT */
SEC("xdp")
int st_immediate(struct xdp_md *ctx)
{
	RAW_INSN(0x00000000fff80a62); /* *(u32 *)(r10 - 8) = 0 */
	return XDP_PASS;
}

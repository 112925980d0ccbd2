#include "corpus.h"

/* ALU64 MOD K (0x97): not in the NFP JIT table */
SEC("xdp")
int op_mod64(struct xdp_md *ctx)
{
	RAW_INSN(0x0000000700000197); /* r1 %= 7 */
	return XDP_PASS;
}

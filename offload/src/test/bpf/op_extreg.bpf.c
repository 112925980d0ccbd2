#include "corpus.h"

/* dst_reg 11 (as blinding would produce): "extended registers" */
SEC("xdp")
int op_extreg(struct xdp_md *ctx)
{
	RAW_INSN(0x0000000000000bb7); /* r11 = 0 */
	return XDP_PASS;
}

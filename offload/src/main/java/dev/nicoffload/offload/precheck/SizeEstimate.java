package dev.nicoffload.offload.precheck;

/**
 * The expected size of the NFP JIT image, from the per-instruction costs derived from the driver's
 * emitters (facts §2.4) plus the fixed intro, outro and prefetch padding, compared with the
 * firmware's {@code NFP_NET_CFG_BPF_MAX_LEN}.
 *
 * @param minimum lowest plausible number of NFP instructions
 * @param maximum highest plausible number of NFP instructions
 * @param fixed   the fixed part included in both (23 for XDP, 28 for TC, plus 18 when subprograms
 *                push callee-saved registers)
 * @param limit   the firmware's maximum program length in NFP instructions
 */
public record SizeEstimate(int minimum, int maximum, int fixed, int limit) {

    /** @return whether even the smallest estimate exceeds the limit (the load fails) */
    public boolean exceedsLimit() {
        return minimum > limit;
    }

    /** @return whether the largest estimate exceeds the limit (the load may fail) */
    public boolean mayExceedLimit() {
        return maximum > limit;
    }

    /** @return the middle of the range, a single figure for reports */
    public int typical() {
        return (minimum + maximum) / 2;
    }
}

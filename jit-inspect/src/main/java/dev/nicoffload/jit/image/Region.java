package dev.nicoffload.jit.image;

/** The parts of an NFP JIT image, in image order. */
public enum Region {
    /** Two instructions that compute the packet length mask. */
    INTRO,
    /** The translated eBPF program. */
    BODY,
    /** Abort and exit paths: 13 instructions for XDP, 18 for TC. */
    OUTRO,
    /** Callee-register save and restore subroutines (9 + 9), present only when a subprogram uses R6-R9. */
    CALLEE_SAVE,
    /** The eight NOPs of the micro-store prefetch window. */
    NOP_TAIL
}

package dev.nicoffload.jit.cfg;

/** Why control can pass along an {@link Edge}. */
public enum EdgeKind {
    /** A branch taken (conditional or not). */
    TAKEN,
    /** Sequential flow: a conditional branch not taken, or a block running into the next one. */
    FALLTHROUGH,
    /** A call: to a helper in the firmware, a callee-save subroutine or a BPF subprogram. */
    CALL,
    /** From a call to the instruction the callee returns to. */
    RETURN_SITE,
    /** A return ({@code rtn[...]}) or computed jump ({@code jump[...]}): the target is a register. */
    RETURN
}

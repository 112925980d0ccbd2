package dev.nicoffload.jit.image;

/**
 * The relocation tag the kernel's NFP JIT keeps in bits 63:56 of each word of the image it
 * exposes ({@code OP_RELO_TYPE}); the driver resolves and clears it when it loads the program.
 */
public enum RelocationType {
    /** No relocation. */
    NONE(0),
    /** Branch to an instruction index of this image; the load offset is added. */
    BR_REL(1),
    /** Branch to the outro's exit path ({@code tgt_out}); holds the placeholder 15000. */
    BR_GO_OUT(2),
    /** Branch to the outro's abort path ({@code tgt_abort}); holds the placeholder 15000. */
    BR_GO_ABORT(3),
    /** Call of the callee-register save subroutine. */
    BR_GO_CALL_PUSH_REGS(4),
    /** Call of the callee-register restore subroutine. */
    BR_GO_CALL_POP_REGS(5),
    /** Branch to the firmware's next-packet entry; holds the placeholder 15000. */
    BR_NEXT_PKT(6),
    /** Branch to a firmware helper; holds 15000 + helper id. */
    BR_HELPER(7),
    /** Immediate holding an instruction index (a return address); the load offset is added. */
    IMMED_REL(8),
    /** A tag value the 6.1 driver does not define. */
    UNKNOWN(-1);

    /** The placeholder branch target of special branches ({@code BR_OFF_RELO}). */
    public static final int PLACEHOLDER = 15000;

    private final int code;

    RelocationType(int code) {
        this.code = code;
    }

    /** The tag value, or -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The type of tag value {@code code} (0..255). */
    public static RelocationType of(int code) {
        return code >= 0 && code <= 8 ? values()[code] : UNKNOWN;
    }

    /** The tag of a word (bits 63:56). */
    public static int tagOf(long word) {
        return (int) (word >>> 56);
    }
}

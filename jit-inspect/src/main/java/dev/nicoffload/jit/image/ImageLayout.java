package dev.nicoffload.jit.image;

/**
 * Where the parts of an NFP JIT image lie (all in instruction indices).
 *
 * @param kind XDP or TC (outro length 13 or 18), or UNKNOWN if the image does not have the JIT's shape
 * @param size total number of instructions
 * @param bodyStart first body instruction (after the 2-instruction intro)
 * @param outroStart first outro instruction (the abort path); {@code size} if unknown
 * @param outroLength outro length
 * @param calleeSaveStart first instruction of the callee-save subroutines, or -1 if absent
 * @param nopStart first instruction of the 8-NOP tail; {@code size} if unknown
 */
public record ImageLayout(Kind kind, int size, int bodyStart, int outroStart, int outroLength, int calleeSaveStart,
                          int nopStart) {
    /** Program kind as far as the image tells it. */
    public enum Kind {
        /** XDP program (13-instruction outro). */
        XDP,
        /** TC direct-action program (18-instruction outro). */
        TC,
        /** Not recognised as an NFP JIT image. */
        UNKNOWN
    }

    /** Instruction count of the intro. */
    public static final int INTRO_LENGTH = 2;
    /** Instruction count of the NOP tail. */
    public static final int NOP_TAIL_LENGTH = 8;
    /** Instruction count of the two callee-save subroutines together. */
    public static final int CALLEE_SAVE_LENGTH = 18;
    /** Offset of the exit path within the outro (after the 3-instruction abort path). */
    public static final int EXIT_OFFSET = 3;

    /** Whether the image had the JIT's shape. */
    public boolean recognised() {
        return kind != Kind.UNKNOWN;
    }

    /** The region of instruction {@code index}. */
    public Region regionOf(int index) {
        if (!recognised()) {
            return Region.BODY;
        }
        if (index < bodyStart) {
            return Region.INTRO;
        }
        if (index < outroStart) {
            return Region.BODY;
        }
        if (index < outroStart + outroLength) {
            return Region.OUTRO;
        }
        if (index < nopStart) {
            return Region.CALLEE_SAVE;
        }
        return Region.NOP_TAIL;
    }

    /** Instruction count of {@code region}. */
    public int length(Region region) {
        if (!recognised()) {
            return region == Region.BODY ? size : 0;
        }
        return switch (region) {
            case INTRO -> bodyStart;
            case BODY -> outroStart - bodyStart;
            case OUTRO -> outroLength;
            case CALLEE_SAVE -> calleeSaveStart < 0 ? 0 : CALLEE_SAVE_LENGTH;
            case NOP_TAIL -> size - nopStart;
        };
    }

    /** Index of the outro's exit path ({@code tgt_out}), or -1 if unknown. */
    public int exitIndex() {
        return recognised() ? outroStart + EXIT_OFFSET : -1;
    }

    /** Index of the outro's abort path ({@code tgt_abort}), or -1 if unknown. */
    public int abortIndex() {
        return recognised() ? outroStart : -1;
    }

    /** Index of the register save subroutine, or -1. */
    public int pushRegsIndex() {
        return calleeSaveStart;
    }

    /** Index of the register restore subroutine, or -1. */
    public int popRegsIndex() {
        return calleeSaveStart < 0 ? -1 : calleeSaveStart + CALLEE_SAVE_LENGTH / 2;
    }

    static ImageLayout unknown(int size) {
        return new ImageLayout(Kind.UNKNOWN, size, 0, size, 0, -1, size);
    }
}

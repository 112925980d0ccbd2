package dev.nicoffload.jit.isa;

/**
 * The 7-bit ECC of NFP code-store words. Check bit {@code i} (stored at bit {@code 45 + i}) is the
 * parity of the 45 instruction bits selected by a fixed mask. The driver adds it only to the copy
 * it loads into the device; the image the kernel exposes to userspace carries none.
 */
public final class NfpEcc {
    /** Bits 44:0, the instruction proper. */
    public static final long INSTRUCTION_MASK = (1L << 45) - 1;
    /** Bits 51:45, where the check bits are stored. */
    public static final long ECC_MASK = 0x7fL << 45;

    private static final long[] PARITY_MASKS = {
        0x0ff800007fffL, 0x11f801ff801fL, 0x1e387e0781e1L, 0x17cb8e388e22L,
        0x1af5b2c93244L, 0x1f56d5525488L, 0x0daf69a46910L
    };

    private NfpEcc() {}

    /** The 7 check bits for the instruction bits 44:0 of {@code word} (other bits are ignored). */
    public static int compute(long word) {
        long insn = word & INSTRUCTION_MASK;
        int ecc = 0;
        for (int i = 0; i < PARITY_MASKS.length; i++) {
            ecc |= (Long.bitCount(insn & PARITY_MASKS[i]) & 1) << i;
        }
        return ecc;
    }

    /** The check bits stored in bits 51:45 of {@code word}. */
    public static int stored(long word) {
        return (int) ((word & ECC_MASK) >>> 45);
    }

    /** The word as the device stores it: instruction bits 44:0 plus their check bits, nothing above. */
    public static long withEcc(long word) {
        return (word & INSTRUCTION_MASK) | ((long) compute(word) << 45);
    }
}

package dev.nicoffload.jit.isa;

/**
 * The twelve ME v2.8 instruction classes plus {@link #INVALID}, in decode order. A word belongs to
 * the first class whose fixed bits (within bits 44:0) it matches.
 */
public enum InstructionClass {
    /** Memory and IO commands (w[39] = 0). */
    CMD("cmd", 0x008000000000L, 0x000000000000L),
    /** ALU with shifter: alu_shf, dbl_shf, asr, byte_align. */
    ALU_SHF("alu_shf", 0x00e000000000L, 0x008000000000L),
    /** ALU, CAM, CRC and bit-count operations. */
    ALU("alu", 0x00e000000000L, 0x00a000000000L),
    /** Immediate loads, including {@code nop}. */
    IMMED("immed", 0x01f900000000L, 0x00f000000000L),
    /** Byte-masked field loads. */
    LD_FIELD("ld_field", 0x01fa00e00000L, 0x00c000000000L),
    /** Context arbitration (swap out, wait for signals). */
    CTX_ARB("ctx_arb", 0x00f800000000L, 0x00e000000000L),
    /** Local CSR read/write and micro-store access. */
    LOCAL_CSR("local_csr", 0x01fe00100000L, 0x00fc00000000L),
    /** Conditional and unconditional branches on condition codes, contexts, signals and states. */
    BRANCH("branch", 0x00f8000c3ce0L, 0x00d800000020L),
    /** Branch on byte compare. */
    BR_BYTE("br_byte", 0x00f800000000L, 0x00c800000000L),
    /** Branch on bit set/clear. */
    BR_BIT("br_bit", 0x00f800080300L, 0x00d000000000L),
    /** Computed jump and return. */
    BR_ALU("br_alu", 0x00ff80000000L, 0x00e800000000L),
    /** Multiply steps. */
    MULT("mult", 0x00fe3f000000L, 0x00f800000000L),
    /** Matches no class; printed as {@code <invalid_instruction>}. */
    INVALID("invalid", 0, 1);

    private static final InstructionClass[] DECODE = {
        CMD, ALU_SHF, ALU, IMMED, LD_FIELD, CTX_ARB, LOCAL_CSR, BRANCH, BR_BYTE, BR_BIT, BR_ALU, MULT
    };

    private final String label;
    private final long mask;
    private final long value;

    InstructionClass(String label, long mask, long value) {
        this.label = label;
        this.mask = mask;
        this.value = value;
    }

    /** The lowercase class name used in the test vectors and reports, e.g. {@code br_alu}. */
    public String label() {
        return label;
    }

    /** Classifies a 64-bit instruction word (bits 63:45 are ignored). */
    public static InstructionClass of(long word) {
        for (InstructionClass c : DECODE) {
            if ((word & c.mask) == c.value) {
                return c;
            }
        }
        return INVALID;
    }
}

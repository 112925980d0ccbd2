package dev.nicoffload.offload.spec;

import java.util.Optional;

/**
 * One eBPF instruction as libbpf would hand it to the kernel.
 *
 * <p><b>Slots.</b> {@code BPF_LD | BPF_IMM | BPF_DW} ({@code ld_imm64}) occupies two 8-byte slots in
 * the kernel's numbering. This record keeps it as <em>one</em> logical instruction: {@link #imm()} is
 * the low and {@link #imm2()} the high 32 bits of the constant, and {@link #slots()} returns 2. Every
 * other instruction has {@code imm2 == 0} and one slot. Jump and call offsets are in slots, as in the
 * kernel; {@link ProgramSpec#slotIndex(int)} converts a logical index to the kernel's slot index,
 * which is what the kernel's messages and {@code Finding}s print.
 *
 * <p><b>References.</b> {@link #reference()} names what a relocation pointed the instruction at: the
 * {@link MapSpec#name() map} of an {@code ld_imm64} with {@code src_reg = BPF_PSEUDO_MAP_FD} (the
 * immediate stays symbolic, 0, as libbpf fills in the fd only at load), the data section of a global
 * data reference ({@code BPF_PSEUDO_MAP_VALUE}), or the extern symbol of an unresolved kfunc or ksym;
 * it is {@code null} otherwise.
 *
 * @param opcode    the 8-bit opcode
 * @param dst       destination register number (0-15 as encoded)
 * @param src       source register number or pseudo source (0-15 as encoded)
 * @param off       signed 16-bit offset
 * @param imm       signed 32-bit immediate (low half for {@code ld_imm64})
 * @param imm2      high half of an {@code ld_imm64} constant, else 0
 * @param reference relocation target name, or {@code null}
 */
public record Instruction(int opcode, int dst, int src, short off, int imm, int imm2, String reference) {

    /** Instruction classes ({@code BPF_CLASS}). */
    public static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05,
            JMP32 = 0x06, ALU64 = 0x07;
    /** Access sizes ({@code BPF_SIZE}). */
    public static final int SIZE_W = 0x00, SIZE_H = 0x08, SIZE_B = 0x10, SIZE_DW = 0x18;
    /** Load/store modes ({@code BPF_MODE}). */
    public static final int MODE_IMM = 0x00, MODE_ABS = 0x20, MODE_IND = 0x40, MODE_MEM = 0x60,
            MODE_ATOMIC = 0xc0;
    /** Operand source ({@code BPF_SRC}): immediate or register. */
    public static final int SRC_K = 0x00, SRC_X = 0x08;
    /** ALU operations ({@code BPF_OP}). */
    public static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50,
            LSH = 0x60, RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0, MOV = 0xb0, ARSH = 0xc0, END = 0xd0;
    /** Jump operations ({@code BPF_OP}). */
    public static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, JNE = 0x50,
            JSGT = 0x60, JSGE = 0x70, CALL = 0x80, EXIT = 0x90, JLT = 0xa0, JLE = 0xb0, JSLT = 0xc0,
            JSLE = 0xd0;
    /** {@code ld_imm64} pseudo sources. */
    public static final int PSEUDO_MAP_FD = 1, PSEUDO_MAP_VALUE = 2, PSEUDO_BTF_ID = 3, PSEUDO_FUNC = 4,
            PSEUDO_MAP_IDX = 5, PSEUDO_MAP_IDX_VALUE = 6;
    /** Call pseudo sources. */
    public static final int PSEUDO_CALL = 1, PSEUDO_KFUNC_CALL = 2;
    /** The {@code ld_imm64} opcode. */
    public static final int LD_IMM64 = LD | MODE_IMM | SIZE_DW;

    /** Validates the fields. */
    public Instruction {
        if (opcode < 0 || opcode > 0xff) throw new IllegalArgumentException("opcode " + opcode);
        if (dst < 0 || dst > 15 || src < 0 || src > 15) {
            throw new IllegalArgumentException("register out of range: dst " + dst + " src " + src);
        }
        if (imm2 != 0 && opcode != LD_IMM64) throw new IllegalArgumentException("imm2 only for ld_imm64");
    }

    /**
     * @return a plain instruction without a reference
     * @param opcode opcode
     * @param dst    destination register
     * @param src    source register
     * @param off    offset
     * @param imm    immediate
     */
    public static Instruction of(int opcode, int dst, int src, int off, int imm) {
        return new Instruction(opcode, dst, src, (short) off, imm, 0, null);
    }

    /**
     * @param dst      destination register
     * @param src      pseudo source (0 for a plain constant)
     * @param constant the 64-bit constant
     * @return an {@code ld_imm64}
     */
    public static Instruction ldImm64(int dst, int src, long constant) {
        return new Instruction(LD_IMM64, dst, src, (short) 0, (int) constant, (int) (constant >>> 32), null);
    }

    /** @return {@code BPF_CLASS(opcode)} */
    public int cls() {
        return opcode & 0x07;
    }

    /** @return {@code BPF_SIZE(opcode)} (meaningful for loads and stores) */
    public int size() {
        return opcode & 0x18;
    }

    /** @return the access width in bytes of a load or store (1, 2, 4 or 8) */
    public int sizeBytes() {
        return switch (size()) {
            case SIZE_W -> 4;
            case SIZE_H -> 2;
            case SIZE_B -> 1;
            default -> 8;
        };
    }

    /** @return {@code BPF_MODE(opcode)} (meaningful for loads and stores) */
    public int mode() {
        return opcode & 0xe0;
    }

    /** @return {@code BPF_OP(opcode)} (meaningful for ALU and jump classes) */
    public int op() {
        return opcode & 0xf0;
    }

    /** @return {@code BPF_SRC(opcode)}: {@link #SRC_K} or {@link #SRC_X} */
    public int source() {
        return opcode & 0x08;
    }

    /** @return whether this is an {@code ld_imm64} (two slots) */
    public boolean isLdImm64() {
        return opcode == LD_IMM64;
    }

    /** @return the number of 8-byte slots: 2 for {@code ld_imm64}, else 1 */
    public int slots() {
        return isLdImm64() ? 2 : 1;
    }

    /** @return the 64-bit constant of an {@code ld_imm64} */
    public long constant() {
        return (imm & 0xffffffffL) | ((long) imm2 << 32);
    }

    /** @return whether this is {@code BPF_JMP | BPF_CALL} */
    public boolean isCall() {
        return opcode == (JMP | CALL);
    }

    /** @return whether this is a helper call (a call that is neither bpf-to-bpf nor a kfunc) */
    public boolean isHelperCall() {
        return isCall() && src != PSEUDO_CALL && src != PSEUDO_KFUNC_CALL;
    }

    /** @return whether this is a bpf-to-bpf call */
    public boolean isPseudoCall() {
        return isCall() && src == PSEUDO_CALL;
    }

    /** @return whether this is {@code BPF_JMP | BPF_EXIT} */
    public boolean isExit() {
        return opcode == (JMP | EXIT);
    }

    /** @return whether this is a jump (JMP or JMP32 class, other than call and exit) */
    public boolean isJump() {
        int c = cls();
        return (c == JMP || c == JMP32) && !isCall() && !isExit();
    }

    /** @return whether this is an ALU or ALU64 instruction */
    public boolean isAlu() {
        return cls() == ALU || cls() == ALU64;
    }

    /** @return the referenced map, data section or extern, if a relocation set one */
    public Optional<String> referenceName() {
        return Optional.ofNullable(reference);
    }

    /** @param newImm the new immediate @return a copy with {@code imm} replaced */
    public Instruction withImm(int newImm) {
        return new Instruction(opcode, dst, src, off, newImm, imm2, reference);
    }

    /**
     * @param newSrc       the new source register / pseudo source
     * @param newReference the new reference
     * @return a copy with the source and reference replaced
     */
    public Instruction withReference(int newSrc, String newReference) {
        return new Instruction(opcode, dst, newSrc, off, imm, imm2, newReference);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format("%02x dst=r%d src=%d off=%d imm=%d", opcode, dst, src, off, imm));
        if (isLdImm64()) b.append(" imm64=0x").append(Long.toHexString(constant()));
        if (reference != null) b.append(" ref=").append(reference);
        return b.toString();
    }
}

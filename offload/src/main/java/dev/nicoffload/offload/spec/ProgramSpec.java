package dev.nicoffload.offload.spec;

import dev.nicoffload.offload.info.ProgramType;
import java.util.List;
import java.util.Objects;

/**
 * A program as libbpf would load it: its instructions after relocation (map references resolved to
 * {@link MapSpec}s by name, {@code .text} subprograms appended and bpf-to-bpf call immediates fixed),
 * the type inferred from the ELF section name, and the load flags that section implies.
 *
 * @param name         the program's function name
 * @param sectionName  the ELF section it came from (e.g. {@code xdp}, {@code tc})
 * @param type         the program type
 * @param flags        {@code prog_flags} implied by the section (e.g. {@code BPF_F_XDP_HAS_FRAGS} for {@code xdp.frags})
 * @param license      the object's license string
 * @param instructions the instructions, {@code ld_imm64} as one logical instruction (see {@link Instruction})
 */
public record ProgramSpec(String name, String sectionName, ProgramType type, int flags, String license,
                          List<Instruction> instructions) {

    /** {@code BPF_F_XDP_HAS_FRAGS}, set for {@code xdp.frags} sections. */
    public static final int F_XDP_HAS_FRAGS = 1 << 5;
    /** {@code BPF_F_SLEEPABLE}, set for {@code .s} sections. */
    public static final int F_SLEEPABLE = 1 << 4;

    /** Copies the instruction list. */
    public ProgramSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sectionName, "sectionName");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(license, "license");
        instructions = List.copyOf(instructions);
    }

    /** @return the number of 8-byte slots, the kernel's {@code insn_cnt} */
    public int slotCount() {
        int n = 0;
        for (Instruction i : instructions) n += i.slots();
        return n;
    }

    /**
     * @param logicalIndex index into {@link #instructions()}
     * @return the kernel's instruction (slot) index of that instruction
     */
    public int slotIndex(int logicalIndex) {
        Objects.checkIndex(logicalIndex, instructions.size() + 1);
        int n = 0;
        for (int i = 0; i < logicalIndex; i++) n += instructions.get(i).slots();
        return n;
    }

    /** @param t new type @return a copy with the program type replaced */
    public ProgramSpec withType(ProgramType t) {
        return new ProgramSpec(name, sectionName, t, flags, license, instructions);
    }

    /** @param f new flags @return a copy with {@code prog_flags} replaced */
    public ProgramSpec withFlags(int f) {
        return new ProgramSpec(name, sectionName, type, f, license, instructions);
    }

    /** @param insns new instructions @return a copy with the instructions replaced */
    public ProgramSpec withInstructions(List<Instruction> insns) {
        return new ProgramSpec(name, sectionName, type, flags, license, insns);
    }

    /** @return the instructions encoded as the kernel expects them (8 bytes per slot, little-endian) */
    public byte[] encode() {
        byte[] out = new byte[slotCount() * 8];
        int p = 0;
        for (Instruction i : instructions) {
            p = put(out, p, i.opcode(), i.dst(), i.src(), i.off(), i.imm());
            if (i.isLdImm64()) p = put(out, p, 0, 0, 0, (short) 0, i.imm2());
        }
        return out;
    }

    private static int put(byte[] out, int p, int opcode, int dst, int src, short off, int imm) {
        out[p] = (byte) opcode;
        out[p + 1] = (byte) ((src << 4) | dst);
        out[p + 2] = (byte) off;
        out[p + 3] = (byte) (off >> 8);
        for (int k = 0; k < 4; k++) out[p + 4 + k] = (byte) (imm >> (8 * k));
        return p + 8;
    }
}

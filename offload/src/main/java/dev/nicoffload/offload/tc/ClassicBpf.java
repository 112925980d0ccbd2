package dev.nicoffload.offload.tc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic BPF program for cls_bpf ({@code struct sock_filter} instructions), e.g. for
 * {@code bpf_tc_non_bound_accept} tests: classic programs are never bound to a device.
 *
 * @param instructions the program, 1 to 4096 instructions
 */
public record ClassicBpf(List<Instruction> instructions) {

    /** Largest classic program ({@code BPF_MAXINSNS}). */
    public static final int MAX_INSNS = 4096;

    /**
     * One {@code struct sock_filter}.
     *
     * @param code opcode (u16)
     * @param jt   jump offset if true (u8)
     * @param jf   jump offset if false (u8)
     * @param k    generic field (u32)
     */
    public record Instruction(int code, int jt, int jf, int k) {

        /** Checks the field ranges. */
        public Instruction {
            if (code < 0 || code > 0xffff || jt < 0 || jt > 0xff || jf < 0 || jf > 0xff) {
                throw new IllegalArgumentException("sock_filter field out of range: " + code + " " + jt + " " + jf);
            }
        }
    }

    /** Checks the length. */
    public ClassicBpf {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > MAX_INSNS) {
            throw new IllegalArgumentException("a classic BPF program has 1.." + MAX_INSNS + " instructions");
        }
    }

    /**
     * Parses tc's bytecode notation ({@code bpf bytecode "N,code jt jf k,..."}, as printed by
     * {@code bpf_asm -c} / {@code tcpdump -ddd}), e.g. {@code "1,6 0 0 4294967295,"} = {@code ret #-1}.
     *
     * @throws IllegalArgumentException when the text is not in that notation or the count disagrees
     */
    public static ClassicBpf parse(String bytecode) {
        String[] parts = bytecode.strip().split(",");
        int count;
        try {
            count = Integer.parseInt(parts[0].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bytecode must start with the instruction count: " + bytecode);
        }
        List<Instruction> insns = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.isEmpty()) {
                continue;
            }
            String[] f = p.split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException("instruction " + i + " needs 4 fields (code jt jf k): " + p);
            }
            try {
                long k = Long.parseLong(f[3]);
                if (k < Integer.MIN_VALUE || k > 0xffffffffL) {
                    throw new IllegalArgumentException("k out of range in instruction " + i + ": " + p);
                }
                insns.add(new Instruction(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), (int) k));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("instruction " + i + " is not numeric: " + p);
            }
        }
        if (insns.size() != count) {
            throw new IllegalArgumentException("bytecode announces " + count + " instructions but has " + insns.size());
        }
        return new ClassicBpf(insns);
    }

    /** The instructions as the kernel takes them: 8 bytes each, host order. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(8 * instructions.size()).order(ByteOrder.nativeOrder());
        for (Instruction i : instructions) {
            b.putShort((short) i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
        }
        return b.array();
    }
}

package dev.nicoffload.offload.adapt.equivalence;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Finds a section's instructions in a 64-bit little-endian ELF object, to break one on purpose. */
final class ElfEdit {
    private ElfEdit() {
    }

    /** File offset and size of section {@code name}. */
    static int[] section(byte[] elf, String name) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
        long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            int nameOff = b.getInt(h);
            int at = (int) (strOff + nameOff);
            int end = at;
            while (elf[end] != 0) {
                end++;
            }
            if (new String(elf, at, end - at, StandardCharsets.US_ASCII).equals(name)) {
                return new int[] {(int) b.getLong(h + 0x18), (int) b.getLong(h + 0x20)};
            }
        }
        throw new IllegalArgumentException("no section " + name);
    }

    /** File offsets of the atomic adds ({@code BPF_STX|BPF_ATOMIC}, W or DW, imm BPF_ADD) in section {@code name}. */
    static List<Integer> atomicAdds(byte[] elf, String name) {
        int[] s = section(elf, name);
        List<Integer> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = s[0]; at + 8 <= s[0] + s[1]; at += 8) {
            int op = elf[at] & 0xff;
            if ((op == 0xdb || op == 0xc3) && b.getInt(at + 4) == 0) {
                out.add(at);
            }
        }
        return out;
    }

    /** The instruction's 16-bit offset field. */
    static int offset(byte[] elf, int insnAt) {
        return ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getShort(insnAt + 2);
    }

    static void setOffset(byte[] elf, int insnAt, int off) {
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(insnAt + 2, (short) off);
    }
}

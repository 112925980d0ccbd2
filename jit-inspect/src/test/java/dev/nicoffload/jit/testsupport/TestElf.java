package dev.nicoffload.jit.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small ELF64 little-endian NFP files for tests, laid out like the vector generator's
 * files: header, section contents, section name table, section headers.
 */
public final class TestElf {
    /** SHT_PROGBITS. */
    public static final int PROGBITS = 1;
    /** SHT_NFP_INITREG. */
    public static final int INITREG = 0x70000002;
    /** SHF_ALLOC | SHF_EXECINSTR. */
    public static final long AX = 0x6;

    private record Section(String name, int type, long flags, long info, byte[] data) {}

    private final List<Section> sections = new ArrayList<>();
    private int machine = 250;
    private int eflags = 0x6000 << 8;

    /** e_machine. */
    public TestElf machine(int m) {
        this.machine = m;
        return this;
    }

    /** e_flags. */
    public TestElf eflags(int f) {
        this.eflags = f;
        return this;
    }

    /** Adds a section. */
    public TestElf section(String name, int type, long flags, long info, byte[] data) {
        sections.add(new Section(name, type, flags, info, data));
        return this;
    }

    /** Adds a code section for island/ME holding {@code words}. */
    public TestElf code(String name, int island, int me, long... words) {
        return section(name, PROGBITS, AX, ((long) ((island << 8) | me) << 16) | 1, words(words));
    }

    /** Adds an ME-CSR init section for {@code island} with order {@code order}, setting CtxEnables/MiscControl per ME. */
    public TestElf meCsrs(String name, long flags, int island, int order, int me, long ctxEnables, long miscControl) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] e : new long[][] {{0x18, ctxEnables}, {0x160, miscControl}}) {
            b.putInt(1 << 25).putInt((1 << 16) | ((me + 4) << 10) | (int) e[0]).putInt((int) e[1]).putInt(-1);
        }
        long info = ((long) island << 26) | (14 << 22) | (2 << 17) | (1 << 15) | (3 << 10) | (1 << 8) | order;
        return section(name, INITREG, flags, info, b.array());
    }

    /** Little-endian bytes of {@code words}. */
    public static byte[] words(long... words) {
        ByteBuffer b = ByteBuffer.allocate(8 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }

    /** The file bytes. */
    public byte[] build() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[64]);
        long[] offsets = new long[sections.size()];
        for (int i = 0; i < sections.size(); i++) {
            offsets[i] = body.size();
            body.writeBytes(sections.get(i).data());
        }
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        names.write(0);
        int[] nameOff = new int[sections.size() + 1];
        for (int i = 0; i < sections.size(); i++) {
            nameOff[i] = names.size();
            names.writeBytes((sections.get(i).name() + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }
        nameOff[sections.size()] = names.size();
        names.writeBytes(".shstrtab\0".getBytes(StandardCharsets.ISO_8859_1));
        long strOff = body.size();
        body.writeBytes(names.toByteArray());
        while (body.size() % 8 != 0) {
            body.write(0);
        }
        long shoff = body.size();
        int shnum = sections.size() + 2;
        ByteBuffer sh = ByteBuffer.allocate(64 * shnum).order(ByteOrder.LITTLE_ENDIAN);
        sh.put(new byte[64]);
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            shdr(sh, nameOff[i], s.type(), s.flags(), offsets[i], s.data().length, s.info());
        }
        shdr(sh, nameOff[sections.size()], 3, 0, strOff, names.size(), 0);
        body.writeBytes(sh.array());
        byte[] out = body.toByteArray();
        ByteBuffer h = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        h.putShort(0x10, (short) 1).putShort(0x12, (short) machine).putInt(0x14, 1).putLong(0x28, shoff)
                .putInt(0x30, eflags).putShort(0x34, (short) 64).putShort(0x3a, (short) 64)
                .putShort(0x3c, (short) shnum).putShort(0x3e, (short) (shnum - 1));
        return out;
    }

    private static void shdr(ByteBuffer sh, int name, int type, long flags, long off, long size, long info) {
        sh.putInt(name).putInt(type).putLong(flags).putLong(0).putLong(off).putLong(size).putInt(0)
                .putInt((int) info).putLong(8).putLong(type == INITREG ? 16 : 0);
    }
}

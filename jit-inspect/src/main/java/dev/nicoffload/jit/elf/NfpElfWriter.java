package dev.nicoffload.jit.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds NFP ELF files (ELF64 little-endian, {@code e_machine} 250): code sections placed on an
 * island and ME, and ME-CSR init sections that set an ME's context mode and addressing. Use it
 * to hand instruction words, such as a JIT image, to tools that read NFP ELF files (GNU objdump,
 * {@link NfpElfFile}). The layout is header, section contents, section name table, section
 * headers; no program headers or symbols.
 *
 * <pre>{@code
 * byte[] elf = new NfpElfWriter().code(".text.i32.me0", 32, 0, image.words()).build();
 * }</pre>
 */
public final class NfpElfWriter {
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

    /** Creates an empty file description (EM_NFP, NFP-6000 flags). */
    public NfpElfWriter() {}

    /** Sets {@code e_machine} (250 by default; 0x6000 is the older value objdump also accepts). */
    public NfpElfWriter machine(int m) {
        this.machine = m;
        return this;
    }

    /** Sets {@code e_flags} (by default the NFP-6000 chip family in bits 8-23). */
    public NfpElfWriter eflags(int f) {
        this.eflags = f;
        return this;
    }

    /**
     * Adds a section.
     *
     * @param name section name
     * @param type {@code sh_type}, e.g. {@link #PROGBITS} or {@link #INITREG}
     * @param flags {@code sh_flags}, e.g. {@link #AX} for code
     * @param info {@code sh_info}: for code, the island and ME; for init sections, the CSR target
     * @param data section contents (not copied)
     * @return this writer
     */
    public NfpElfWriter section(String name, int type, long flags, long info, byte[] data) {
        sections.add(new Section(name, type, flags, info, data));
        return this;
    }

    /**
     * Adds a code section for {@code island}/{@code me} holding {@code words}.
     *
     * @return this writer
     */
    public NfpElfWriter code(String name, int island, int me, long... words) {
        return section(name, PROGBITS, AX, ((long) ((island << 8) | me) << 16) | 1, words(words));
    }

    /**
     * Adds an ME-CSR init section for {@code island} (init order {@code order}) that sets
     * CtxEnables and MiscControl of ME {@code me}: CtxEnables bit 31 selects 4-context mode,
     * MiscControl bit 4 32-bit third-party addressing and bit 2 the shared code store.
     *
     * @return this writer
     */
    public NfpElfWriter meCsrs(String name, long flags, int island, int order, int me, long ctxEnables, long miscControl) {
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

    /** Lays out the file and returns its bytes. */
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

package dev.nicoffload.offload.adapt;

import dev.nicoffload.offload.spec.ObjectFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A relocatable little-endian BPF ELF object held as its sections, for editing: section contents
 * can be replaced (also with a different size) and sections renamed to a suffix of their name; the
 * writer lays the sections out again (in index order, each at its alignment) and writes a new
 * section header table. Symbols, relocations and section indices are never renumbered. Call only on
 * bytes {@link dev.nicoffload.offload.spec.ObjectSpec#parse} accepted (it checks the bounds this class relies on).
 */
final class ElfImage {
    static final int SHT_SYMTAB = 2, SHT_REL = 9, SHT_NOBITS = 8;
    static final long SHF_EXECINSTR = 0x4;
    static final int STT_SECTION = 3, STT_FUNC = 2;

    /** One section; {@code data} is null for SHT_NOBITS. */
    static final class Section {
        final int index;
        int nameOff;
        String name;
        final int type;
        final long flags, addr, addralign, entsize;
        final int link, info;
        byte[] data;
        long size;

        Section(int index, int nameOff, String name, int type, long flags, long addr, long addralign, long entsize,
                int link, int info, byte[] data, long size) {
            this.index = index;
            this.nameOff = nameOff;
            this.name = name;
            this.type = type;
            this.flags = flags;
            this.addr = addr;
            this.addralign = addralign;
            this.entsize = entsize;
            this.link = link;
            this.info = info;
            this.data = data;
            this.size = size;
        }

        boolean executable() {
            return (flags & SHF_EXECINSTR) != 0 && type != SHT_NOBITS;
        }
    }

    record Symbol(int index, String name, int type, int bind, int shndx, long value, long size) {
    }

    record Reloc(long offset, int symbol, int type) {
    }

    private final byte[] header;
    final List<Section> sections = new ArrayList<>();
    final List<Symbol> symbols = new ArrayList<>();
    private final int shstrndx;

    private ElfImage(byte[] bytes) {
        if (bytes.length < 64 || bytes[5] != 1) throw new ObjectFormatException("only little-endian BPF objects can be adapted");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header = java.util.Arrays.copyOf(bytes, 64);
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff, shnum = b.getShort(0x3c) & 0xffff;
        shstrndx = b.getShort(0x3e) & 0xffff;
        for (int i = 0; i < shnum; i++) {
            int p = (int) (shoff + (long) i * shentsize);
            int type = b.getInt(p + 4);
            long off = b.getLong(p + 24), size = b.getLong(p + 32);
            byte[] data = null;
            if (type != SHT_NOBITS && i > 0) data = java.util.Arrays.copyOfRange(bytes, (int) off, (int) (off + size));
            sections.add(new Section(i, b.getInt(p), null, type, b.getLong(p + 8), b.getLong(p + 16), b.getLong(p + 48),
                    b.getLong(p + 56), b.getInt(p + 40), b.getInt(p + 44), data, size));
        }
        for (Section s : sections) s.name = cString(sections.get(shstrndx).data, s.nameOff);
        for (Section s : sections) {
            if (s.type != SHT_SYMTAB) continue;
            byte[] str = sections.get(s.link).data;
            ByteBuffer sb = ByteBuffer.wrap(s.data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < s.data.length / 24; i++) {
                int p = i * 24;
                int info = s.data[p + 4] & 0xff;
                symbols.add(new Symbol(i, cString(str, sb.getInt(p)), info & 0xf, info >> 4, sb.getShort(p + 6) & 0xffff,
                        sb.getLong(p + 8), sb.getLong(p + 16)));
            }
            break;
        }
    }

    static ElfImage read(byte[] bytes) {
        try {
            return new ElfImage(bytes);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            if (e instanceof ObjectFormatException ofe) throw ofe;
            throw new ObjectFormatException("malformed BPF object: " + e.getMessage(), e);
        }
    }

    private static String cString(byte[] table, int off) {
        if (table == null || off < 0 || off >= table.length) return "";
        int end = off;
        while (end < table.length && table[end] != 0) end++;
        return new String(table, off, end - off, StandardCharsets.UTF_8);
    }

    Section section(String name) {
        for (Section s : sections) if (name.equals(s.name)) return s;
        return null;
    }

    /** Relocations that apply to section {@code target}, with the REL section holding them (or null). */
    Section relSectionFor(int target) {
        for (Section s : sections) if (s.type == SHT_REL && s.info == target) return s;
        return null;
    }

    List<Reloc> relocs(Section rel) {
        List<Reloc> out = new ArrayList<>();
        if (rel == null) return out;
        ByteBuffer b = ByteBuffer.wrap(rel.data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rel.data.length / 16; i++) {
            long info = b.getLong(i * 16 + 8);
            out.add(new Reloc(b.getLong(i * 16), (int) (info >>> 32), (int) info));
        }
        return out;
    }

    /** Replaces a REL section's entries. */
    void setRelocs(Section rel, List<Reloc> relocs) {
        ByteBuffer b = ByteBuffer.allocate(relocs.size() * 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Reloc r : relocs) b.putLong(r.offset()).putLong(((long) r.symbol() << 32) | (r.type() & 0xffffffffL));
        rel.data = b.array();
        rel.size = rel.data.length;
    }

    /** The symbol table section. */
    Section symtab() {
        for (Section s : sections) if (s.type == SHT_SYMTAB) return s;
        throw new ObjectFormatException("no symbol table");
    }

    /** Sets a symbol's value and size in the symbol table (and in {@link #symbols}). */
    void setSymbol(int index, long value, long size) {
        Section st = symtab();
        ByteBuffer.wrap(st.data).order(ByteOrder.LITTLE_ENDIAN).putLong(index * 24 + 8, value).putLong(index * 24 + 16, size);
        Symbol o = symbols.get(index);
        symbols.set(index, new Symbol(index, o.name(), o.type(), o.bind(), o.shndx(), value, size));
    }

    /**
     * Appends a global symbol (after every existing one, so the locals-first order and the symbol
     * table's {@code sh_info} stay valid); its name is appended to the symbol string table.
     *
     * @return the new symbol's index
     */
    int addGlobalSymbol(String name, int type, int shndx, long value, long size) {
        Section st = symtab();
        Section str = sections.get(st.link);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int nameOff = str.data.length;
        byte[] ns = java.util.Arrays.copyOf(str.data, str.data.length + nameBytes.length + 1);
        System.arraycopy(nameBytes, 0, ns, nameOff, nameBytes.length);
        str.data = ns;
        int index = st.data.length / 24;
        ByteBuffer e = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        e.putInt(nameOff).put((byte) ((1 << 4) | type)).put((byte) 0).putShort((short) shndx).putLong(value).putLong(size);
        byte[] nd = java.util.Arrays.copyOf(st.data, st.data.length + 24);
        System.arraycopy(e.array(), 0, nd, st.data.length, 24);
        st.data = nd;
        symbols.add(new Symbol(index, name, type, 1, shndx, value, size));
        return index;
    }

    /** Renames a section to its name without the leading dot (an offset into the same string). */
    void dropLeadingDot(Section s) {
        if (!s.name.startsWith(".")) throw new IllegalArgumentException(s.name);
        s.nameOff += 1;
        s.name = s.name.substring(1);
    }

    /** @return the object laid out again */
    byte[] write() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(header);
        long[] offsets = new long[sections.size()];
        for (Section s : sections) {
            if (s.index == 0) continue;
            long align = Math.max(1, s.addralign);
            while (out.size() % align != 0) out.write(0);
            offsets[s.index] = out.size();
            if (s.data != null) {
                out.writeBytes(s.data);
                s.size = s.data.length;
            }
        }
        while (out.size() % 8 != 0) out.write(0);
        long shoff = out.size();
        ByteBuffer sh = ByteBuffer.allocate(64 * sections.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (Section s : sections) {
            int p = 64 * s.index;
            if (s.index == 0) continue;
            sh.putInt(p, s.nameOff).putInt(p + 4, s.type).putLong(p + 8, s.flags).putLong(p + 16, s.addr)
                    .putLong(p + 24, offsets[s.index]).putLong(p + 32, s.size).putInt(p + 40, s.link).putInt(p + 44, s.info)
                    .putLong(p + 48, s.addralign).putLong(p + 56, s.entsize);
        }
        out.writeBytes(sh.array());
        byte[] result = out.toByteArray();
        ByteBuffer h = ByteBuffer.wrap(result).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(0x28, shoff);
        h.putShort(0x3a, (short) 64);
        h.putShort(0x3c, (short) sections.size());
        h.putShort(0x3e, (short) shstrndx);
        return result;
    }
}

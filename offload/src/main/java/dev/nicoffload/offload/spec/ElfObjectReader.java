package dev.nicoffload.offload.spec;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a BPF ELF object into an {@link ObjectSpec}, doing the relocations libbpf does before load:
 * map references, global data references and bpf-to-bpf calls (with {@code .text} subprograms
 * appended to each program that calls them). Every offset read from the file is bounds-checked, so
 * malformed input ends in an {@link ObjectFormatException}.
 */
final class ElfObjectReader {
    private static final int EM_BPF = 247;
    private static final int SHT_SYMTAB = 2, SHT_REL = 9, SHT_NOBITS = 8;
    private static final long SHF_EXECINSTR = 0x4;
    private static final int STT_FUNC = 2, STT_SECTION = 3;
    private static final int STB_LOCAL = 0;
    private static final int R_BPF_64_64 = 1, R_BPF_64_32 = 10;
    private static final int MAX_SECTIONS = 1 << 16;

    private record Section(int index, String name, int type, long flags, long offset, long size, int link, int info) {
    }

    private record Symbol(int index, String name, int type, int bind, int shndx, long value, long size) {
    }

    private record Reloc(long offset, int symbol, int type) {
    }

    /** A function (program or subprogram) in an executable section. */
    private record Function(Section section, String name, int start, int end, boolean global) {
    }

    private final byte[] bytes;
    private final ByteBuffer buf;
    private final List<Section> sections = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();
    private final Map<Integer, Map<Long, Reloc>> relocs = new HashMap<>();
    private final Map<Integer, List<Instruction>> code = new HashMap<>();
    private final Map<Integer, List<Integer>> slotToLogical = new HashMap<>();
    private final Map<Integer, List<Function>> functions = new HashMap<>();
    private final Map<String, MapSpec> maps = new LinkedHashMap<>();
    private final Map<Long, String> legacyMapsByOffset = new HashMap<>();

    ElfObjectReader(byte[] bytes) {
        this.bytes = bytes;
        this.buf = ByteBuffer.wrap(bytes);
    }

    ObjectSpec read() {
        return guarded(this::doRead);
    }

    /** Runs {@code step}, turning the buffer exceptions of a corrupt file into {@link ObjectFormatException}. */
    private static <T> T guarded(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
            if (e instanceof ObjectFormatException ofe) throw ofe;
            throw new ObjectFormatException("malformed BPF object: " + e.getMessage(), e);
        }
    }

    private ObjectSpec doRead() {
        readSectionsSymbolsAndRelocs();
        String license = "";
        for (Section s : sections) {
            if (s.name().equals("license")) license = cString(s.offset(), s.size());
        }
        readMaps();
        for (Section s : sections) {
            if ((s.flags() & SHF_EXECINSTR) != 0 && s.type() != SHT_NOBITS && s.size() > 0) decodeSection(s);
        }
        List<ProgramSpec> programs = new ArrayList<>();
        Section text = section(".text");
        for (Section s : sections) {
            if (!code.containsKey(s.index()) || s == text) continue;
            for (Function f : functions.get(s.index())) {
                if (!f.global()) continue;
                programs.add(link(f, SectionNames.type(s.name()), SectionNames.flags(s.name()), license));
            }
        }
        if (programs.isEmpty() && text != null && code.containsKey(text.index())) {
            for (Function f : functions.get(text.index())) {
                if (f.global()) programs.add(link(f, ProgramType.UNSPEC, 0, license));
            }
        }
        return new ObjectSpec(programs, new ArrayList<>(maps.values()), license);
    }

    /**
     * The structural part of {@link #read()}: header, section table, symbols, relocations and the
     * BTF's type and string references, without interpreting programs or maps.
     */
    void checkStructure() {
        guarded(() -> {
            readSectionsSymbolsAndRelocs();
            for (Symbol sym : symbols) {
                if (sym.shndx() >= sections.size() && sym.shndx() < 0xff00) {
                    throw new ObjectFormatException("symbol " + sym.index() + " names section " + sym.shndx() + " out of range");
                }
            }
            Section btf = section(".BTF");
            if (btf != null) {
                new BtfMapReader(bytes, (int) btf.offset(), (int) btf.size(), buf.order()).checkReferences();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- ELF structure

    private void readSectionsSymbolsAndRelocs() {
        readHeaderAndSections();
        Section symtab = sections.stream().filter(s -> s.type() == SHT_SYMTAB).findFirst()
                .orElseThrow(() -> new ObjectFormatException("no symbol table (.symtab)"));
        readSymbols(symtab);
        for (Section s : sections) {
            if (s.type() == SHT_REL && s.link() == symtab.index()) readRelocs(s);
        }
    }

    private void readHeaderAndSections() {
        if (bytes.length < 64) throw new ObjectFormatException("not an ELF file: only " + bytes.length + " bytes");
        if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new ObjectFormatException("not an ELF file (bad magic)");
        }
        if (bytes[4] != 2) throw new ObjectFormatException("not a 64-bit ELF file (EI_CLASS " + bytes[4] + ")");
        if (bytes[5] == 1) buf.order(ByteOrder.LITTLE_ENDIAN);
        else if (bytes[5] == 2) buf.order(ByteOrder.BIG_ENDIAN);
        else throw new ObjectFormatException("bad ELF data encoding " + bytes[5]);
        int machine = u16(18);
        if (machine != EM_BPF) throw new ObjectFormatException("not a BPF object (e_machine " + machine + ", expected 247)");
        long shoff = buf.getLong(0x28);
        int shentsize = u16(0x3a);
        int shnum = u16(0x3c);
        int shstrndx = u16(0x3e);
        if (shnum == 0 || shnum >= MAX_SECTIONS) throw new ObjectFormatException("bad section count " + shnum);
        if (shentsize < 64) throw new ObjectFormatException("bad section header size " + shentsize);
        checkRange(shoff, (long) shnum * shentsize, "section header table");
        if (shstrndx >= shnum) throw new ObjectFormatException("section name table index " + shstrndx + " out of range");
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int p = (int) (shoff + (long) i * shentsize);
            raw[i] = new long[]{u32(p), u32(p + 4), buf.getLong(p + 8), buf.getLong(p + 24), buf.getLong(p + 32),
                    u32(p + 40), u32(p + 44)};
        }
        long strOff = raw[shstrndx][3], strSize = raw[shstrndx][4];
        checkRange(strOff, strSize, "section name table");
        for (int i = 0; i < shnum; i++) {
            long[] r = raw[i];
            int type = (int) r[1];
            if (i > 0 && type != SHT_NOBITS && type != 0) checkRange(r[3], r[4], "section " + i);
            String name = stringAt(strOff, strSize, r[0]);
            sections.add(new Section(i, name, type, r[2], r[3], r[4], (int) r[5], (int) r[6]));
        }
    }

    private void readSymbols(Section symtab) {
        if (symtab.link() <= 0 || symtab.link() >= sections.size()) throw new ObjectFormatException("symbol table has no string table");
        Section str = sections.get(symtab.link());
        long n = symtab.size() / 24;
        for (int i = 0; i < n; i++) {
            int p = (int) (symtab.offset() + i * 24L);
            int info = bytes[p + 4] & 0xff;
            String name = stringAt(str.offset(), str.size(), u32(p));
            symbols.add(new Symbol(i, name, info & 0xf, info >> 4, u16(p + 6), buf.getLong(p + 8), buf.getLong(p + 16)));
        }
    }

    private void readRelocs(Section rel) {
        if (rel.info() <= 0 || rel.info() >= sections.size()) throw new ObjectFormatException("relocation section " + rel.name() + " targets no section");
        Map<Long, Reloc> byOffset = relocs.computeIfAbsent(rel.info(), k -> new HashMap<>());
        long n = rel.size() / 16;
        for (int i = 0; i < n; i++) {
            int p = (int) (rel.offset() + i * 16L);
            long info = buf.getLong(p + 8);
            int sym = (int) (info >>> 32);
            if (sym >= symbols.size()) throw new ObjectFormatException("relocation in " + rel.name() + " names symbol " + sym + " out of range");
            byOffset.put(buf.getLong(p), new Reloc(buf.getLong(p), sym, (int) info));
        }
    }

    // ---------------------------------------------------------------- maps

    private void readMaps() {
        Section btfMaps = section(".maps");
        if (btfMaps != null) {
            Section btf = section(".BTF");
            if (btf == null) throw new ObjectFormatException(".maps section without .BTF: cannot read map definitions");
            for (MapSpec m : new BtfMapReader(bytes, (int) btf.offset(), (int) btf.size(), buf.order()).mapsInDatasec(".maps")) {
                maps.put(m.name(), m);
            }
        }
        Section legacy = section("maps");
        if (legacy != null) {
            for (Symbol s : symbols) {
                if (s.shndx() != legacy.index() || s.type() == STT_SECTION || s.name().isEmpty()) continue;
                if (s.value() + 20 > legacy.size()) throw new ObjectFormatException("legacy map " + s.name() + " lies outside section maps");
                int p = (int) (legacy.offset() + s.value());
                maps.put(s.name(), new MapSpec(s.name(), mapType((int) u32(p), s.name()), (int) u32(p + 4), (int) u32(p + 8),
                        (int) u32(p + 12), (int) u32(p + 16), -1, 0, false));
                legacyMapsByOffset.put(s.value(), s.name());
            }
        }
        Section btf = section(".BTF");
        BtfMapReader types = null;
        try {
            if (btf != null) types = new BtfMapReader(bytes, (int) btf.offset(), (int) btf.size(), buf.order());
        } catch (ObjectFormatException e) {
            if (btfMaps != null) throw e;
            // without .maps libbpf 1.1 ignores a broken .BTF ("BTF is optional, ignoring"); so does the flag rule
        }
        for (Section s : sections) {
            if (isDataSection(s.name())) {
                // libbpf 1.1: .rodata and .kconfig are BPF_F_RDONLY_PROG; BPF_F_MMAPABLE only with a non-static variable
                int flags = s.name().startsWith(".rodata") || s.name().equals(".kconfig") ? MapSpec.F_RDONLY_PROG : 0;
                if (types != null && types.datasecHasGlobalVariable(s.name())) flags |= MapSpec.F_MMAPABLE;
                maps.put(s.name(), new MapSpec(s.name(), MapType.ARRAY, 4, (int) s.size(), 1, flags, -1, 0, true));
            }
        }
    }

    static MapType mapType(int value, String map) {
        MapType t = MapType.of(value);
        if (t == null) throw new ObjectFormatException("map " + map + ": unknown map type " + value);
        return t;
    }

    private static boolean isDataSection(String name) {
        return name.equals(".data") || name.equals(".bss") || name.equals(".kconfig")
                || name.startsWith(".data.") || name.startsWith(".rodata");
    }

    // ---------------------------------------------------------------- code

    private void decodeSection(Section s) {
        // sections of type SHT_NULL skip the range check of the section table, but may still be flagged executable
        checkRange(s.offset(), s.size(), "section " + s.name());
        if (s.size() % 8 != 0) throw new ObjectFormatException("section " + s.name() + ": size " + s.size() + " is not a multiple of 8");
        int slots = (int) (s.size() / 8);
        List<Instruction> insns = new ArrayList<>();
        List<Integer> map = new ArrayList<>(slots);
        boolean le = buf.order() == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < slots; i++) {
            int p = (int) (s.offset() + 8L * i);
            int opcode = bytes[p] & 0xff;
            int regs = bytes[p + 1] & 0xff;
            int dst = le ? regs & 0xf : regs >> 4;
            int src = le ? regs >> 4 : regs & 0xf;
            short off = buf.getShort(p + 2);
            int imm = buf.getInt(p + 4);
            map.add(insns.size());
            if (opcode == Instruction.LD_IMM64) {
                if (i + 1 >= slots) throw new ObjectFormatException("section " + s.name() + ": ld_imm64 at slot " + i + " is truncated");
                int q = p + 8;
                map.add(insns.size());
                insns.add(new Instruction(opcode, dst, src, off, imm, buf.getInt(q + 4), null));
                i++;
            } else {
                insns.add(new Instruction(opcode, dst, src, off, imm, 0, null));
            }
        }
        code.put(s.index(), insns);
        slotToLogical.put(s.index(), map);
        List<Function> fns = new ArrayList<>();
        for (Symbol sym : symbols) {
            if (sym.shndx() != s.index() || sym.type() != STT_FUNC) continue;
            if (sym.value() % 8 != 0 || sym.size() % 8 != 0 || sym.value() + sym.size() > s.size()) {
                throw new ObjectFormatException("function " + sym.name() + " has a bad offset or size in " + s.name());
            }
            long end = sym.size() == 0 ? s.size() : sym.value() + sym.size();
            fns.add(new Function(s, sym.name(), (int) (sym.value() / 8), (int) (end / 8), sym.bind() != STB_LOCAL));
        }
        if (fns.isEmpty()) fns.add(new Function(s, s.name(), 0, slots, true));
        fns.sort((a, b) -> Integer.compare(a.start(), b.start()));
        functions.put(s.index(), fns);
    }

    /** One instruction copied into a program under construction, with where it came from. */
    private record Placed(Instruction insn, Section section, int slot) {
    }

    private ProgramSpec link(Function main, ProgramType type, int flags, String license) {
        List<Placed> out = new ArrayList<>();
        Map<Function, Integer> placedAt = new HashMap<>();
        append(main, out);
        placedAt.put(main, 0);
        int slot = 0;
        for (int i = 0; i < out.size(); i++) {
            Placed pl = out.get(i);
            Instruction insn = relocate(pl);
            boolean funcRef = insn.isPseudoCall() || (insn.isLdImm64() && insn.src() == Instruction.PSEUDO_FUNC);
            if (funcRef) {
                Reloc r = relocs.getOrDefault(pl.section().index(), Map.of()).get(pl.slot() * 8L);
                Section targetSec;
                long targetSlot;
                if (r != null) {
                    Symbol sym = symbols.get(r.symbol());
                    if (sym.shndx() <= 0 || sym.shndx() >= sections.size()) {
                        throw new ObjectFormatException("call at " + pl.section().name() + "+" + pl.slot() + " to unresolved symbol " + sym.name());
                    }
                    targetSec = sections.get(sym.shndx());
                    if (sym.value() % 8 != 0) throw new ObjectFormatException("call target " + sym.name() + " is not instruction-aligned");
                    targetSlot = insn.isLdImm64() ? sym.value() / 8 + insn.imm() / 8 : sym.value() / 8 + insn.imm() + 1L;
                } else {
                    targetSec = pl.section();
                    targetSlot = pl.slot() + insn.imm() + 1L;
                }
                Function callee = functionAt(targetSec, targetSlot);
                if (callee == null) {
                    throw new ObjectFormatException("call at " + pl.section().name() + "+" + pl.slot() + " targets no function (" + targetSec.name() + "+" + targetSlot + ")");
                }
                Integer at = placedAt.get(callee);
                if (at == null) {
                    at = slotsOf(out);
                    placedAt.put(callee, at);
                    append(callee, out);
                }
                int targetInProgram = at + (int) (targetSlot - callee.start());
                insn = insn.withImm(targetInProgram - (slot + 1));
            }
            out.set(i, new Placed(insn, pl.section(), pl.slot()));
            slot += insn.slots();
        }
        List<Instruction> insns = new ArrayList<>(out.size());
        for (Placed p : out) insns.add(p.insn());
        return new ProgramSpec(main.name(), main.section().name(), type, flags, license, insns);
    }

    private static int slotsOf(List<Placed> out) {
        int n = 0;
        for (Placed p : out) n += p.insn().slots();
        return n;
    }

    private void append(Function f, List<Placed> out) {
        List<Instruction> insns = code.get(f.section().index());
        List<Integer> map = slotToLogical.get(f.section().index());
        int slot = f.start();
        while (slot < f.end()) {
            Instruction insn = insns.get(map.get(slot));
            out.add(new Placed(insn, f.section(), slot));
            slot += insn.slots();
        }
    }

    private Function functionAt(Section s, long slot) {
        List<Function> fns = functions.get(s.index());
        if (fns == null) return null;
        for (Function f : fns) {
            if (slot >= f.start() && slot < f.end()) return f;
        }
        return null;
    }

    /** Applies map, data and extern relocations of one instruction. */
    private Instruction relocate(Placed pl) {
        Reloc r = relocs.getOrDefault(pl.section().index(), Map.of()).get(pl.slot() * 8L);
        if (r == null) return pl.insn();
        Instruction insn = pl.insn();
        Symbol sym = symbols.get(r.symbol());
        if (insn.isCall()) {
            if (insn.src() == Instruction.PSEUDO_KFUNC_CALL || sym.shndx() == 0) {
                return insn.withReference(insn.src(), sym.name());
            }
            return insn; // bpf-to-bpf call, handled by link()
        }
        if (!insn.isLdImm64()) {
            throw new ObjectFormatException("relocation against " + sym.name() + " at " + pl.section().name() + "+" + pl.slot()
                    + " is not on an ld_imm64 or call (opcode 0x" + Integer.toHexString(insn.opcode()) + ")");
        }
        if (r.type() != R_BPF_64_64 && r.type() != R_BPF_64_32) {
            throw new ObjectFormatException("unsupported relocation type " + r.type() + " against " + sym.name());
        }
        if (sym.shndx() == 0 || sym.shndx() >= sections.size()) {
            return insn.withReference(insn.src(), sym.name()); // extern (kconfig, ksym): resolved by libbpf at load
        }
        Section target = sections.get(sym.shndx());
        if ((target.flags() & SHF_EXECINSTR) != 0) {
            return insn.withReference(Instruction.PSEUDO_FUNC, null); // callback address; call linking fixes imm
        }
        if (target.name().equals(".maps")) {
            if (!maps.containsKey(sym.name())) throw new ObjectFormatException("reference to unknown BTF map " + sym.name());
            return new Instruction(insn.opcode(), insn.dst(), Instruction.PSEUDO_MAP_FD, insn.off(), 0, 0, sym.name());
        }
        if (target.name().equals("maps")) {
            String name = sym.type() == STT_SECTION ? legacyMapsByOffset.get((long) insn.imm()) : sym.name();
            if (name == null || !maps.containsKey(name)) throw new ObjectFormatException("reference to unknown legacy map at offset " + insn.imm());
            return new Instruction(insn.opcode(), insn.dst(), Instruction.PSEUDO_MAP_FD, insn.off(), 0, 0, name);
        }
        if (isDataSection(target.name())) {
            long offset = (sym.type() == STT_SECTION ? 0 : sym.value()) + insn.imm();
            return new Instruction(insn.opcode(), insn.dst(), Instruction.PSEUDO_MAP_VALUE, insn.off(), 0, (int) offset, target.name());
        }
        throw new ObjectFormatException("relocation against " + sym.name() + " in unsupported section " + target.name());
    }

    // ---------------------------------------------------------------- helpers

    private Section section(String name) {
        for (Section s : sections) if (s.name().equals(name)) return s;
        return null;
    }

    private void checkRange(long off, long len, String what) {
        if (off < 0 || len < 0 || off > bytes.length || len > bytes.length - off) {
            throw new ObjectFormatException(what + " lies outside the file (offset " + off + ", size " + len + ", file " + bytes.length + ")");
        }
    }

    private String stringAt(long tableOff, long tableSize, long idx) {
        if (idx < 0 || idx >= tableSize) {
            if (idx == 0 && tableSize == 0) return "";
            throw new ObjectFormatException("string index " + idx + " outside its table");
        }
        return cString(tableOff + idx, tableSize - idx);
    }

    private String cString(long off, long max) {
        int start = (int) off;
        int end = start;
        long limit = Math.min(bytes.length, off + max);
        while (end < limit && bytes[end] != 0) end++;
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    private int u16(int p) {
        return buf.getShort(p) & 0xffff;
    }

    private long u32(int p) {
        return buf.getInt(p) & 0xffffffffL;
    }
}

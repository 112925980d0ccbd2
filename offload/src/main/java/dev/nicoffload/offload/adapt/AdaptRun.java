package dev.nicoffload.offload.adapt;

import dev.nicoffload.offload.adapt.Values.Cst;
import dev.nicoffload.offload.adapt.Values.MapRef;
import dev.nicoffload.offload.adapt.Values.Poison;
import dev.nicoffload.offload.adapt.Values.Ptr;
import dev.nicoffload.offload.adapt.Values.State;
import dev.nicoffload.offload.adapt.Values.Stk;
import dev.nicoffload.offload.adapt.Values.V;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ObjectFormatException;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One run of the adapter over one object (see {@link Adapter} and docs/adapting.md). */
final class AdaptRun {
    private static final int F_NO_PREALLOC = 1, F_NO_COMMON_LRU = 2;
    private static final int HELPER_LOOKUP = 1, HELPER_UPDATE = 2, HELPER_DELETE = 3;
    /** Helpers the NFP JIT implements (nfp/bpf/verifier.c nfp_bpf_check_helper_call). */
    private static final Set<Integer> NFP_HELPERS = Set.of(1, 2, 3, 7, 25, 44, 65);
    private static final Map<Integer, String> HELPER_NAMES = Map.ofEntries(
            Map.entry(4, "bpf_probe_read"), Map.entry(5, "bpf_ktime_get_ns"), Map.entry(6, "bpf_trace_printk"),
            Map.entry(8, "bpf_get_smp_processor_id"), Map.entry(9, "bpf_skb_store_bytes"), Map.entry(10, "bpf_l3_csum_replace"),
            Map.entry(11, "bpf_l4_csum_replace"), Map.entry(12, "bpf_tail_call"), Map.entry(13, "bpf_clone_redirect"),
            Map.entry(23, "bpf_redirect"), Map.entry(26, "bpf_skb_load_bytes"), Map.entry(28, "bpf_csum_diff"),
            Map.entry(34, "bpf_get_hash_recalc"), Map.entry(51, "bpf_redirect_map"), Map.entry(54, "bpf_xdp_adjust_meta"),
            Map.entry(69, "bpf_fib_lookup"), Map.entry(125, "bpf_ktime_get_boot_ns"), Map.entry(130, "bpf_ringbuf_output"),
            Map.entry(131, "bpf_ringbuf_reserve"), Map.entry(181, "bpf_loop"), Map.entry(189, "bpf_xdp_load_bytes"),
            Map.entry(190, "bpf_xdp_store_bytes"));

    private final byte[] elf;
    private final String objectName;
    private final AdaptOptions options;
    private ObjectSpec spec;
    private ElfImage img;
    private final Map<String, MapSpec> maps = new LinkedHashMap<>();
    private final List<Change> mapChanges = new ArrayList<>();
    private final List<Change> codeChanges = new ArrayList<>();
    private final List<Refusal> refusals = new ArrayList<>();
    /** Per-CPU maps made shared: their value words must be rewritten. */
    private final Set<String> converted = new LinkedHashSet<>();
    /** Counter words of each map (atomic adds, existing and new). */
    private final Map<String, Set<CounterWord>> counters = new LinkedHashMap<>();
    private final Map<Integer, Code> code = new LinkedHashMap<>();
    private final List<Fn> functions = new ArrayList<>();
    private final Map<Fn, Analysis> analyses = new LinkedHashMap<>();
    /** Arguments (r1-r5, as a register mask) each function reads; computed on demand for liveness at calls. */
    private final Map<Fn, Integer> argMasks = new HashMap<>();
    /** {@code .bss}/{@code .data} counter sites to move into a one-element ARRAY map, in analysis order. */
    private final List<GlobalSite> globalSites = new ArrayList<>();
    /** Counter words of each moved section. */
    private final Map<String, Set<CounterWord>> globalWords = new LinkedHashMap<>();
    /** Helper argument counts (for liveness at helper calls); helpers not listed read r1-r5. */
    private static final Map<Integer, Integer> HELPER_ARGS = Map.of(1, 2, 2, 4, 3, 2, 7, 0, 25, 5, 44, 2, 65, 2);
    /** Data sections whose uses failed (not folded). */
    private final Set<String> dataRefused = new HashSet<>();

    enum TargetKind { MAP, DATA, FUNC, EXTERN }

    record Target(TargetKind kind, String name, long off) {
    }

    /** An executable section: its slots and relocation targets. */
    static final class Code {
        final ElfImage.Section section;
        final Insn[] slots;
        final Map<Integer, Target> targets = new HashMap<>();
        final Set<Integer> dropRelocs = new HashSet<>();

        Code(ElfImage.Section section, Insn[] slots) {
            this.section = section;
            this.slots = slots;
        }
    }

    /** A function (program or subprogram) in an executable section, by slot range. */
    record Fn(Code code, String name, int start, int end) {
    }

    AdaptRun(byte[] elf, String objectName, AdaptOptions options) {
        this.elf = elf;
        this.objectName = objectName;
        this.options = options;
    }

    Adaptation run() {
        spec = ObjectSpec.parse(elf);
        img = ElfImage.read(elf);
        for (MapSpec m : spec.maps()) maps.put(m.name(), m);
        decode();
        Set<String> selected = new LinkedHashSet<>();
        if (options.program().isPresent()) {
            String p = options.program().get();
            if (spec.program(p).isEmpty()) {
                throw new IllegalArgumentException("no program named " + p + " (has: "
                        + String.join(", ", spec.programs().stream().map(ProgramSpec::name).toList()) + ")");
            }
            selected.add(p);
        } else {
            for (ProgramSpec p : spec.programs()) selected.add(p.name());
        }
        Set<Fn> reachable = reachable(selected);
        Set<String> used = new LinkedHashSet<>();
        for (Fn f : reachable) {
            for (int s = f.start(); s < f.end(); s++) {
                Target t = f.code().targets.get(s);
                if (t != null && t.kind() == TargetKind.MAP) used.add(t.name());
            }
        }
        if (options.program().isEmpty()) {
            for (MapSpec m : maps.values()) if (!m.globalData()) used.add(m.name());
        }
        planMaps(used);
        for (Fn f : functions) analyses.put(f, new Analysis(f).run());
        for (Fn f : functions) analyses.get(f).recordPass();
        for (Fn f : functions) {
            Analysis a = analyses.get(f);
            a.checkHelpers(reachable.contains(f));
            a.rewriteCounters();
            a.foldData();
        }
        Set<Fn> mains = new LinkedHashSet<>();
        for (Fn f : reachable) if (selected.contains(f.name()) && isProgram(f)) mains.add(f);
        for (Fn f : mains) {
            ProgramSpec ps = spec.program(f.name()).orElseThrow();
            if (ps.type() == ProgramType.SCHED_CLS && options.allows(AllowedChange.TC_OK_TO_UNSPEC)) analyses.get(f).tcOkToUnspec();
        }
        List<MapCorrespondence> corr = new ArrayList<>();
        byte[] out = null;
        if (refusals.isEmpty()) {
            out = emit(corr);
            // nothing to change: the input as it is, byte for byte
            if (mapChanges.isEmpty() && codeChanges.isEmpty()) out = elf.clone();
        }
        List<Change> all = new ArrayList<>();
        if (refusals.isEmpty()) {
            all.addAll(mapChanges);
            all.addAll(codeChanges);
        }
        return new Adaptation(out, new AdaptationReport(all, refusals, corr));
    }

    private int argMask(Fn f) {
        Integer known = argMasks.get(f);
        if (known != null) return known;
        argMasks.put(f, 0x3e); // a call cycle (the verifier refuses recursion) stays conservative
        Analysis a = analyses.get(f);
        int mask = 0x3e;
        if (a != null && a.in[f.start()] != null) {
            a.liveness();
            mask = a.liveIn[f.start()] & 0x3e;
        }
        argMasks.put(f, mask);
        return mask;
    }

    private boolean isProgram(Fn f) {
        return spec.program(f.name()).isPresent();
    }

    // ------------------------------------------------------------------ decoding

    private void decode() {
        for (ElfImage.Section s : img.sections) {
            if (!s.executable() || s.data == null || s.data.length == 0) continue;
            ByteBuffer b = ByteBuffer.wrap(s.data).order(ByteOrder.LITTLE_ENDIAN);
            int n = s.data.length / 8;
            Insn[] slots = new Insn[n];
            for (int i = 0; i < n; i++) {
                int p = i * 8;
                int regs = s.data[p + 1] & 0xff;
                boolean second = i > 0 && slots[i - 1].isLdImm64();
                slots[i] = new Insn(s.data[p] & 0xff, regs & 0xf, regs >> 4, b.getShort(p + 2), b.getInt(p + 4), second);
            }
            Code c = new Code(s, slots);
            code.put(s.index, c);
            for (ElfImage.Reloc r : img.relocs(img.relSectionFor(s.index))) {
                int slot = (int) (r.offset() / 8);
                if (slot < 0 || slot >= n || r.symbol() >= img.symbols.size()) continue;
                ElfImage.Symbol sym = img.symbols.get(r.symbol());
                Insn insn = slots[slot];
                if (sym.shndx() == 0 || sym.shndx() >= img.sections.size()) {
                    c.targets.put(slot, new Target(TargetKind.EXTERN, sym.name(), 0));
                    continue;
                }
                ElfImage.Section t = img.sections.get(sym.shndx());
                if (t.executable()) c.targets.put(slot, new Target(TargetKind.FUNC, Integer.toString(t.index), sym.value()));
                else if (t.name.equals(".maps")) c.targets.put(slot, new Target(TargetKind.MAP, sym.name(), 0));
                else if (t.name.equals("maps")) {
                    String name = sym.name();
                    if (sym.type() == ElfImage.STT_SECTION) {
                        for (ElfImage.Symbol o : img.symbols) {
                            if (o.shndx() == t.index && o.type() != ElfImage.STT_SECTION && o.value() == insn.imm() && !o.name().isEmpty()) name = o.name();
                        }
                    }
                    c.targets.put(slot, new Target(TargetKind.MAP, name, 0));
                } else if (isDataSection(t.name)) {
                    long off = (sym.type() == ElfImage.STT_SECTION ? 0 : sym.value()) + insn.imm();
                    c.targets.put(slot, new Target(TargetKind.DATA, t.name, off));
                }
            }
            List<ElfImage.Symbol> fsyms = new ArrayList<>();
            for (ElfImage.Symbol sym : img.symbols) if (sym.shndx() == s.index && sym.type() == ElfImage.STT_FUNC) fsyms.add(sym);
            fsyms.sort((x, y) -> Long.compare(x.value(), y.value()));
            if (fsyms.isEmpty()) functions.add(new Fn(c, s.name, 0, n));
            for (ElfImage.Symbol sym : fsyms) {
                int start = (int) (sym.value() / 8);
                int end = sym.size() == 0 ? n : (int) ((sym.value() + sym.size()) / 8);
                functions.add(new Fn(c, sym.name(), start, Math.min(end, n)));
            }
        }
    }

    /** Sections whose counters move into a one-element ARRAY map. */
    static boolean isMovable(String name) {
        return name.equals(".bss") || name.equals(".data");
    }

    /**
     * A {@code .bss}/{@code .data} counter increment: load, add and store slots, the word, the load's size
     * ({@link Insn#SIZE_W}/{@link Insn#SIZE_DW}), the addend (a register, or -1 and the immediate), the
     * registers r0-r5 to save around the lookup call, and the stack depth below which the key and saves go.
     */
    record GlobalSite(Fn fn, int load, int add, int store, String section, int word, int size, int addendReg, int addendImm,
                      int spill, int stackBase, String before) {
    }

    static boolean isDataSection(String name) {
        return name.equals(".data") || name.equals(".bss") || name.equals(".kconfig")
                || name.startsWith(".data.") || name.startsWith(".rodata");
    }

    private static boolean isRodata(String name) {
        return name.startsWith(".rodata");
    }

    private Fn functionAt(Code c, int slot) {
        for (Fn f : functions) if (f.code() == c && slot >= f.start() && slot < f.end()) return f;
        return null;
    }

    /** The function a bpf-to-bpf call at {@code slot} of {@code f} calls, or null. */
    private Fn callee(Fn f, int slot) {
        Insn insn = f.code().slots[slot];
        Target t = f.code().targets.get(slot);
        if (t != null && t.kind() == TargetKind.FUNC) {
            Code c = code.get(Integer.parseInt(t.name()));
            return c == null ? null : functionAt(c, (int) (t.off() / 8 + insn.imm() + 1));
        }
        return functionAt(f.code(), slot + insn.imm() + 1);
    }

    private Set<Fn> reachable(Set<String> programs) {
        Set<Fn> seen = new LinkedHashSet<>();
        ArrayDeque<Fn> work = new ArrayDeque<>();
        for (Fn f : functions) if (programs.contains(f.name()) && isProgram(f)) work.add(f);
        while (!work.isEmpty()) {
            Fn f = work.poll();
            if (!seen.add(f)) continue;
            for (int s = f.start(); s < f.end(); s++) {
                Insn i = f.code().slots[s];
                if (i.isCall() && i.src() == 1) {
                    Fn c = callee(f, s);
                    if (c != null) work.add(c);
                }
            }
        }
        return seen;
    }

    // ------------------------------------------------------------------ maps

    private void planMaps(Set<String> used) {
        for (String name : used) {
            MapSpec m = maps.get(name);
            if (m == null || m.globalData()) continue;
            MapType type = m.type();
            MapType to = null;
            switch (type) {
                case HASH, ARRAY, PERF_EVENT_ARRAY -> { }
                case PERCPU_ARRAY -> to = MapType.ARRAY;
                case PERCPU_HASH -> to = MapType.HASH;
                case LRU_HASH, LRU_PERCPU_HASH -> {
                    if (options.allows(AllowedChange.LRU_TO_HASH)) to = MapType.HASH;
                    else refusals.add(new Refusal(Optional.empty(), -1, Optional.of(name), type
                            + " evicts entries; the NIC has no LRU maps (only HASH and ARRAY offload); "
                            + "--allow lru-to-hash makes it a HASH: no eviction, updates fail when it is full"));
                }
                default -> refusals.add(new Refusal(Optional.empty(), -1, Optional.of(name), "map type " + type
                        + " cannot be offloaded: only HASH and ARRAY maps live on the NIC (nfp: map type not supported)"));
            }
            if (to != null) {
                boolean percpu = type == MapType.PERCPU_ARRAY || type == MapType.PERCPU_HASH || type == MapType.LRU_PERCPU_HASH;
                boolean lru = type == MapType.LRU_HASH || type == MapType.LRU_PERCPU_HASH;
                if (percpu) converted.add(name);
                ChangeKind kind = lru ? ChangeKind.LRU_TO_HASH : ChangeKind.PERCPU_TO_SHARED;
                String note = lru ? "no eviction: updates fail with E2BIG when the map is full" + (percpu ? "; per-CPU values become one shared value (the sum over CPUs)" : "")
                        : "one shared value instead of one per CPU: it holds the sum over CPUs; every add becomes atomic";
                mapChanges.add(new Change(kind, Optional.empty(), Optional.of(name), -1, "type " + type, "type " + to, note, lru));
                typeEdits.put(name, to);
            }
            int flags = m.flags();
            int drop = flags & F_NO_PREALLOC;
            if (to != null && (type == MapType.LRU_HASH || type == MapType.LRU_PERCPU_HASH)) drop |= flags & F_NO_COMMON_LRU;
            if (drop != 0) {
                flagEdits.put(name, flags & ~drop);
                mapChanges.add(new Change(ChangeKind.DROP_NO_PREALLOC, Optional.empty(), Optional.of(name), -1,
                        "map_flags 0x" + Integer.toHexString(flags), "map_flags 0x" + Integer.toHexString(flags & ~drop),
                        "BPF_F_NO_PREALLOC is a memory strategy, not a meaning" + ((drop & F_NO_COMMON_LRU) != 0 ? "; BPF_F_NO_COMMON_LRU has no meaning without LRU" : ""),
                        false));
            }
        }
    }

    private final Map<String, MapType> typeEdits = new LinkedHashMap<>();
    private final Map<String, Integer> flagEdits = new LinkedHashMap<>();

    // ------------------------------------------------------------------ output

    private byte[] emit(List<MapCorrespondence> corr) {
        // map definitions: BTF (.maps) or legacy struct bpf_map_def in place
        ElfImage.Section btfSec = img.section(".BTF");
        BtfEditor btf = btfSec == null ? null : new BtfEditor(btfSec.data);
        ElfImage.Section legacy = img.section("maps");
        for (String name : new LinkedHashSet<>(concat(typeEdits.keySet(), flagEdits.keySet()))) {
            ElfImage.Symbol legacySym = null;
            if (legacy != null) {
                for (ElfImage.Symbol s : img.symbols) {
                    if (s.shndx() == legacy.index && s.name().equals(name) && s.type() != ElfImage.STT_SECTION) legacySym = s;
                }
            }
            if (legacySym != null) {
                ByteBuffer b = ByteBuffer.wrap(legacy.data).order(ByteOrder.LITTLE_ENDIAN);
                if (typeEdits.containsKey(name)) b.putInt((int) legacySym.value(), typeEdits.get(name).value());
                if (flagEdits.containsKey(name)) b.putInt((int) legacySym.value() + 16, flagEdits.get(name));
            } else {
                if (btf == null) throw new IllegalStateException("map " + name + " has no definition to edit");
                if (typeEdits.containsKey(name)) btf.setUint(name, "type", typeEdits.get(name).value());
                if (flagEdits.containsKey(name)) btf.setUint(name, "map_flags", flagEdits.get(name));
            }
        }
        // the counter maps of moved .bss/.data sections, appended to .maps
        Map<String, Integer> counterMapSymbols = new LinkedHashMap<>();
        for (String sec : globalWords.keySet()) {
            ElfImage.Section maps = img.section(".maps");
            ElfImage.Section data = img.section(sec);
            int offset = maps.data.length;
            maps.data = java.util.Arrays.copyOf(maps.data, offset + 32);
            String name = counterMapName(sec);
            btf.addMap(name, MapType.ARRAY.value(), 4, (int) data.size, 1, offset);
            counterMapSymbols.put(sec, img.addGlobalSymbol(name, 1 /* STT_OBJECT */, maps.index, offset, 32));
            int limit = dev.nicoffload.offload.precheck.FirmwareCapabilities.nfpsim().maxValueSize();
            mapChanges.add(new Change(ChangeKind.GLOBAL_COUNTER_TO_MAP, Optional.empty(), Optional.of(name), -1,
                    "section " + sec + " (" + data.size + " bytes)", "map " + name + " (ARRAY, key u32 0, value " + data.size + " bytes, max_entries 1)",
                    "the section's counters live in the map's one value, same layout; each increment looks up key 0 and adds atomically"
                            + (data.size > limit ? "; the value is larger than the NFP's " + limit + "-byte limit (nfpsim), the NIC will refuse the map" : ""),
                    false));
        }
        // instructions: counter sites expanded; jumps, calls, relocations, symbols and BTF.ext line/func info moved
        Map<Code, int[]> newIndex = new HashMap<>();
        Map<Code, List<Insn>> newSlots = new HashMap<>();
        Map<Code, Map<Integer, Integer>> addedRelocs = new HashMap<>();
        Map<Code, Set<Integer>> original = new HashMap<>();
        for (Code c : code.values()) {
            Map<Integer, GlobalSite> atStore = new HashMap<>();
            Set<Integer> deleted = new HashSet<>();
            for (GlobalSite g : globalSites) {
                if (g.fn().code() != c) continue;
                atStore.put(g.store(), g);
                deleted.add(g.load());
                deleted.add(g.add());
            }
            int n = c.slots.length;
            int[] ni = new int[n + 1];
            List<Insn> out = new ArrayList<>();
            Map<Integer, Integer> relocs = new LinkedHashMap<>();
            Set<Integer> orig = new HashSet<>();
            for (int i = 0; i < n; i++) {
                ni[i] = out.size();
                if (deleted.contains(i)) continue;
                GlobalSite g = atStore.get(i);
                if (g == null) {
                    orig.add(out.size());
                    out.add(c.slots[i]);
                    continue;
                }
                int[] ldAt = new int[1];
                List<Insn> seq = counterSequence(g, ldAt);
                relocs.put(out.size() + ldAt[0], counterMapSymbols.get(g.section()));
                out.addAll(seq);
            }
            ni[n] = out.size();
            newIndex.put(c, ni);
            newSlots.put(c, out);
            addedRelocs.put(c, relocs);
            original.put(c, orig);
        }
        for (Code c : code.values()) {
            int[] ni = newIndex.get(c);
            List<Insn> out = newSlots.get(c);
            int n = c.slots.length;
            for (int i = 0; i < n; i++) {
                Insn x = c.slots[i];
                int at = ni[i];
                if (x.second()) continue;
                if (at >= out.size() || !original.get(c).contains(at) || out.get(at) != x) continue;
                if (x.isJump()) {
                    int t = i + 1 + x.off();
                    out.set(at, withOff(x, ni[t] - at - 1));
                } else if (x.isCall() && x.src() == 1) {
                    Target t = c.targets.get(i);
                    int imm;
                    if (t != null && t.kind() == TargetKind.FUNC) {
                        Code callee = code.get(Integer.parseInt(t.name()));
                        int[] ci = newIndex.get(callee);
                        int symSlot = (int) (t.off() / 8);
                        imm = ci[symSlot + x.imm() + 1] - ci[symSlot] - 1;
                    } else {
                        imm = ni[i + x.imm() + 1] - at - 1;
                    }
                    out.set(at, new Insn(x.op(), x.dst(), x.src(), x.off(), imm, false));
                }
            }
            byte[] bytes = new byte[out.size() * 8];
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.size(); i++) {
                Insn x = out.get(i);
                b.put(i * 8, (byte) x.op()).put(i * 8 + 1, (byte) ((x.src() << 4) | x.dst())).putShort(i * 8 + 2, x.off()).putInt(i * 8 + 4, x.imm());
            }
            c.section.data = bytes;
            ElfImage.Section rel = img.relSectionFor(c.section.index);
            if (rel != null && (!c.dropRelocs.isEmpty() || !addedRelocs.get(c).isEmpty() || ni[n] != n)) {
                List<ElfImage.Reloc> keep = new ArrayList<>();
                for (ElfImage.Reloc r : img.relocs(rel)) {
                    int slot = (int) (r.offset() / 8);
                    if (c.dropRelocs.contains(slot)) continue;
                    keep.add(new ElfImage.Reloc(slot >= 0 && slot <= n ? (long) ni[slot] * 8 + r.offset() % 8 : r.offset(), r.symbol(), r.type()));
                }
                for (var e : addedRelocs.get(c).entrySet()) keep.add(new ElfImage.Reloc((long) e.getKey() * 8, e.getValue(), 1 /* R_BPF_64_64 */));
                keep.sort((x, y) -> Long.compare(x.offset(), y.offset()));
                img.setRelocs(rel, keep);
            }
            if (ni[n] != n) {
                for (ElfImage.Symbol sym : new ArrayList<>(img.symbols)) {
                    if (sym.shndx() != c.section.index || sym.type() == ElfImage.STT_SECTION || sym.value() % 8 != 0 || sym.value() / 8 > n) continue;
                    int from = (int) (sym.value() / 8);
                    long size = sym.size();
                    if (sym.type() == ElfImage.STT_FUNC && sym.size() % 8 == 0 && from + sym.size() / 8 <= n) {
                        size = (long) (ni[(int) (from + sym.size() / 8)] - ni[from]) * 8;
                    }
                    img.setSymbol(sym.index(), (long) ni[from] * 8, size);
                }
            }
        }
        for (GlobalSite g : globalSites) {
            int[] ni = newIndex.get(g.fn().code());
            int from = ni[g.store()], fnStart = ni[g.fn().start()];
            List<Insn> out = newSlots.get(g.fn().code());
            int to = g.store() + 1 < ni.length ? ni[g.store() + 1] : out.size();
            StringBuilder after = new StringBuilder("insn " + (from - fnStart) + "-" + (to - 1 - fnStart) + ": ");
            for (int x = from; x < to; x++) {
                if (out.get(x).second()) continue;
                if (x > from) after.append("; ");
                after.append(x == from + indexOfLd(out, from, to) ? "r1 = " + counterMapName(g.section()) + " ll" : out.get(x).text());
            }
            codeChanges.add(new Change(ChangeKind.GLOBAL_COUNTER_TO_MAP, Optional.of(g.fn().name()), Optional.of(counterMapName(g.section())),
                    g.load() - g.fn().start(), g.before(), after.toString(),
                    g.section() + "+" + g.word() + " is only incremented: the same word of the one-element map, added atomically;"
                            + " r0-r5 saved around the lookup: " + regList(g.spill()) + "; " + (to - from) + " slots replace 3", false));
        }
        ElfImage.Section ext = img.section(".BTF.ext");
        if (!globalSites.isEmpty() && ext != null && btfSec != null) {
            Map<String, int[]> byName = new HashMap<>();
            for (Code c : code.values()) byName.put(c.section.name, newIndex.get(c));
            ext.data = remapBtfExt(ext.data, btfSec.data, byName);
        }
        // data sections no instruction refers to any more: renamed (no leading dot) so that libbpf makes no map for them
        Set<String> stillReferenced = new HashSet<>();
        for (Code c : code.values()) {
            for (var e : c.targets.entrySet()) {
                if (e.getValue().kind() == TargetKind.DATA && !c.dropRelocs.contains(e.getKey())) stillReferenced.add(e.getValue().name());
            }
        }
        for (MapSpec m : maps.values()) {
            if (!m.globalData()) {
                boolean percpu = converted.contains(m.name());
                corr.add(new MapCorrespondence(percpu ? MapCorrespondence.Kind.PERCPU_SUM : MapCorrespondence.Kind.SAME,
                        Optional.of(m.name()), m.name(), counters.getOrDefault(m.name(), Set.of()).stream()
                        .sorted((x, y) -> Integer.compare(x.offset(), y.offset())).toList()));
                continue;
            }
            String libbpfName = Adapter.libbpfInternalMapName(objectName, m.name());
            if (stillReferenced.contains(m.name()) || m.name().equals(".kconfig")) {
                corr.add(new MapCorrespondence(MapCorrespondence.Kind.SAME, Optional.of(libbpfName), libbpfName, List.of()));
                continue;
            }
            ElfImage.Section s = img.section(m.name());
            if (s == null) continue;
            img.dropLeadingDot(s);
            if (btf != null) {
                int ds = btf.datasec(m.name());
                if (ds >= 0) btf.dropLeadingDot(ds);
            }
            if (globalWords.containsKey(m.name())) {
                corr.add(new MapCorrespondence(MapCorrespondence.Kind.GLOBAL_COUNTERS, Optional.of(counterMapName(m.name())), libbpfName,
                        globalWords.get(m.name()).stream().sorted((x, y) -> Integer.compare(x.offset(), y.offset())).toList()));
                mapChanges.add(new Change(ChangeKind.GLOBAL_COUNTER_TO_MAP, Optional.empty(), Optional.of(libbpfName), -1,
                        "section " + m.name(), "section " + m.name().substring(1),
                        "every use moved to map " + counterMapName(m.name()) + ": renamed so that libbpf creates no map for it", false));
                continue;
            }
            boolean folded = isRodata(m.name()) && foldedSections.contains(m.name());
            corr.add(new MapCorrespondence(MapCorrespondence.Kind.RODATA_FOLDED, Optional.empty(), libbpfName, List.of()));
            if (!folded) {
                mapChanges.add(new Change(ChangeKind.RODATA_FOLD, Optional.empty(), Optional.of(libbpfName), -1,
                        "section " + m.name(), "section " + m.name().substring(1),
                        "no instruction uses it: renamed so that libbpf creates no map for it", false));
            } else {
                mapChanges.add(new Change(ChangeKind.RODATA_FOLD, Optional.empty(), Optional.of(libbpfName), -1,
                        "section " + m.name(), "section " + m.name().substring(1),
                        "every read was folded into an immediate: renamed so that libbpf creates no map for it", false));
            }
        }
        if (btf != null) btfSec.data = btf.bytes();
        return img.write();
    }

    private final Set<String> foldedSections = new HashSet<>();

    static String counterMapName(String section) {
        return "nico_" + section.substring(1);
    }

    private static String regList(int mask) {
        if (mask == 0) return "none";
        StringBuilder b = new StringBuilder();
        for (int r = 0; r <= 5; r++) if ((mask & (1 << r)) != 0) b.append(b.length() == 0 ? "" : ",").append('r').append(r);
        return b.toString();
    }

    private static int indexOfLd(List<Insn> out, int from, int to) {
        for (int x = from; x < to; x++) if (out.get(x).isLdImm64()) return x - from;
        return -1;
    }

    private static Insn withOff(Insn x, int off) {
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) throw new IllegalStateException("jump offset " + off + " out of range after inserting");
        return new Insn(x.op(), x.dst(), x.src(), (short) off, x.imm(), false);
    }

    /**
     * The instructions replacing a counter's store (its load and add are dropped):
     * save live r0-r5; {@code r1 = 0; *(u32 *)(r10 - key) = r1; r2 = r10; r2 += -key; r1 = map ll; call 1;
     * if r0 == 0 goto +2; r1 = addend; lock *(uN *)(r0 + word) += r1}; restore.
     */
    static List<Insn> counterSequence(GlobalSite g, int[] ldAt) {
        List<Insn> q = new ArrayList<>();
        int key = g.stackBase() + 8;
        Map<Integer, Integer> slotOf = new LinkedHashMap<>();
        int next = key + 8;
        for (int r = 0; r <= 5; r++) {
            if ((g.spill() & (1 << r)) != 0) {
                slotOf.put(r, next);
                next += 8;
            }
        }
        int addendSlot = -1;
        if (g.addendReg() >= 0 && g.addendReg() <= 5) addendSlot = slotOf.getOrDefault(g.addendReg(), next);
        for (var e : slotOf.entrySet()) q.add(new Insn(Insn.STX | Insn.MODE_MEM | Insn.SIZE_DW, 10, e.getKey(), (short) -e.getValue(), 0, false));
        if (addendSlot == next) q.add(new Insn(Insn.STX | Insn.MODE_MEM | Insn.SIZE_DW, 10, g.addendReg(), (short) -next, 0, false));
        // the key: a register store (the NFP JIT never translates BPF_ST, a store of an immediate)
        q.add(Insn.mov64Imm(1, 0));
        q.add(new Insn(Insn.STX | Insn.MODE_MEM | Insn.SIZE_W, 10, 1, (short) -key, 0, false));
        q.add(Insn.mov64Reg(2, 10));
        q.add(new Insn(Insn.ALU64 | Insn.A_ADD, 2, 0, (short) 0, -key, false));
        ldAt[0] = q.size();
        q.add(new Insn(Insn.LD_IMM64, 1, 0, (short) 0, 0, false));
        q.add(new Insn(0, 0, 0, (short) 0, 0, true));
        q.add(new Insn(Insn.CALL, 0, 0, (short) 0, HELPER_LOOKUP, false));
        q.add(new Insn(Insn.JMP | 0x10, 0, 0, (short) 2, 0, false)); // if r0 == 0 goto +2
        if (addendSlot >= 0) q.add(new Insn(Insn.LDX | Insn.MODE_MEM | Insn.SIZE_DW, 1, 10, (short) -addendSlot, 0, false));
        else if (g.addendReg() >= 0) q.add(Insn.mov64Reg(1, g.addendReg()));
        else q.add(Insn.mov64Imm(1, g.addendImm()));
        q.add(Insn.atomicAdd(g.size(), 0, 1, (short) g.word()));
        for (var e : slotOf.entrySet()) q.add(new Insn(Insn.LDX | Insn.MODE_MEM | Insn.SIZE_DW, e.getKey(), 10, (short) -e.getValue(), 0, false));
        return q;
    }

    /** BTF.ext func_info, line_info and CO-RE relocation records: instruction byte offsets moved by section. */
    private static byte[] remapBtfExt(byte[] ext, byte[] btf, Map<String, int[]> byName) {
        byte[] out = ext.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer t = ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN);
        int strBase = t.getInt(4) + t.getInt(16), strLen = t.getInt(20);
        int hdrLen = b.getInt(4);
        int subsections = hdrLen >= 32 ? 3 : 2;
        for (int k = 0; k < subsections; k++) {
            int off = hdrLen + b.getInt(8 + 8 * k), len = b.getInt(12 + 8 * k);
            if (len == 0) continue;
            int rec = b.getInt(off);
            int p = off + 4, end = off + len;
            while (p + 8 <= end) {
                int nameOff = b.getInt(p), num = b.getInt(p + 4);
                p += 8;
                String name = "";
                if (nameOff >= 0 && nameOff < strLen) {
                    int e = strBase + nameOff;
                    while (e < btf.length && btf[e] != 0) e++;
                    name = new String(btf, strBase + nameOff, e - strBase - nameOff, java.nio.charset.StandardCharsets.UTF_8);
                }
                int[] ni = byName.get(name);
                for (int r = 0; r < num; r++, p += rec) {
                    int insnOff = b.getInt(p);
                    if (ni != null && insnOff % 8 == 0 && insnOff / 8 < ni.length) b.putInt(p, ni[insnOff / 8] * 8);
                }
            }
        }
        return out;
    }

    private static <T> List<T> concat(Set<T> a, Set<T> b) {
        List<T> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    // ------------------------------------------------------------------ analysis of one function

    /** A memory access through a tracked pointer. */
    record Access(int slot, Ptr ptr, long word, int size) {
    }

    private final class Analysis {
        final Fn fn;
        final Code c;
        final Insn[] s;
        final State[] in;
        final BitSet jumpTargets = new BitSet();
        final List<Access> accesses = new ArrayList<>();
        final Map<Integer, Long> helperIds = new HashMap<>();
        boolean record;

        Analysis(Fn fn) {
            this.fn = fn;
            this.c = fn.code();
            this.s = c.slots;
            this.in = new State[s.length];
        }

        String where() {
            return fn.name();
        }

        void refuse(int slot, String map, String reason) {
            Refusal r = new Refusal(Optional.of(fn.name()), slot < 0 ? -1 : slot - fn.start(), Optional.ofNullable(map), reason);
            if (!refusals.contains(r)) refusals.add(r);
        }

        boolean watched(String region, boolean data) {
            return data || converted.contains(region);
        }

        Analysis run() {
            for (int i = fn.start(); i < fn.end(); i++) {
                Insn n = s[i];
                boolean pseudoSrc = n.isLdImm64() || n.isCall();
                if (!n.second() && (n.dst() > 10 || (!pseudoSrc && n.src() > 10))) {
                    record = true;
                    refuse(i, null, "[nfp] program uses extended registers - jit hardening? (r" + Math.max(n.dst(), n.src()) + ")");
                    return this;
                }
            }
            for (int i = fn.start(); i < fn.end(); i++) {
                Insn n = s[i];
                if (!n.second() && n.isJump()) {
                    int t = i + 1 + n.off();
                    if (t < fn.start() || t >= fn.end()) throw new ObjectFormatException(fn.name() + ": jump at insn " + (i - fn.start()) + " leaves the function");
                    jumpTargets.set(t);
                }
                if (n.isLdImm64() && i + 1 >= fn.end()) throw new ObjectFormatException(fn.name() + ": ld_imm64 at its end is truncated");
            }
            State entry = new State();
            entry.regs[10] = new Stk(0, false);
            in[fn.start()] = entry;
            ArrayDeque<Integer> work = new ArrayDeque<>();
            work.add(fn.start());
            int steps = 0;
            while (!work.isEmpty()) {
                if (steps++ > 2_000_000) {
                    record = true;
                    refuse(-1, null, "too many paths to analyse (more than 2,000,000 steps)");
                    return this;
                }
                int i = work.poll();
                State out = transfer(i, in[i].copy());
                for (int succ : successors(i)) {
                    if (succ < fn.start() || succ >= fn.end()) continue;
                    State next = in[succ] == null ? out : in[succ].join(out);
                    if (!next.equals(in[succ])) {
                        in[succ] = next;
                        work.add(succ);
                    }
                }
            }
            return this;
        }

        /** Walks the fixpoint once more, recording accesses and refusals (after every function's fixpoint, for callees' arguments). */
        void recordPass() {
            if (record) return;
            record = true;
            for (int i = fn.start(); i < fn.end(); i++) if (in[i] != null && !s[i].second()) transfer(i, in[i].copy());
        }

        List<Integer> successors(int i) {
            Insn n = s[i];
            if (n.isExit()) return List.of();
            if (n.isJump()) {
                int t = i + 1 + n.off();
                if (n.op() == Insn.JA) return List.of(t);
                return List.of(i + 1, t);
            }
            return List.of(i + (n.isLdImm64() ? 2 : 1));
        }

        void use(int slot, V v, String how) {
            if (!record) return;
            if (v instanceof Ptr p && watched(p.region(), p.data())) {
                refuse(slot, p.region(), describe(p) + " " + how);
                if (p.data()) dataRefused.add(p.region());
            } else if (v instanceof Poison p) {
                for (String r : p.regions()) {
                    if (watched(r, isDataSection(r))) {
                        refuse(slot, r, "a pointer into " + r + (isDataSection(r) ? "" : " values")
                                + " meets another value on some path and is then " + how);
                        if (isDataSection(r)) dataRefused.add(r);
                    }
                }
            }
        }

        String describe(Ptr p) {
            if (p.data()) return "the address of " + p.region() + (p.varOff() ? "" : "+" + p.off()) + " is";
            return "a pointer to a value of per-CPU map " + p.region() + " is";
        }

        State transfer(int i, State st) {
            Insn n = s[i];
            V[] r = st.regs;
            int cls = n.cls();
            switch (cls) {
                case Insn.ALU, Insn.ALU64 -> {
                    int op = n.aluOp();
                    V src = n.regSource() ? r[n.src()] : new Cst(n.imm());
                    if (op == Insn.A_MOV) {
                        if (cls == Insn.ALU64) r[n.dst()] = n.regSource() ? r[n.src()] : new Cst(n.imm());
                        else {
                            if (n.regSource()) use(i, r[n.src()], "truncated to 32 bits");
                            r[n.dst()] = n.regSource() ? Values.UNK : new Cst(n.imm() & 0xffffffffL);
                        }
                        return st;
                    }
                    V d = r[n.dst()];
                    if (n.regSource()) use(i, src, "used in arithmetic");
                    if (cls == Insn.ALU64 && (op == Insn.A_ADD || op == 0x10) && (d instanceof Ptr || d instanceof Stk)) {
                        boolean konst = src instanceof Cst;
                        long delta = konst ? ((Cst) src).value() * (op == 0x10 ? -1 : 1) : 0;
                        if (d instanceof Ptr p) r[n.dst()] = new Ptr(p.region(), p.data(), p.off() + delta, p.varOff() || !konst, p.origin());
                        else {
                            Stk k = (Stk) d;
                            r[n.dst()] = new Stk(k.off() + delta, k.varOff() || !konst);
                        }
                        return st;
                    }
                    use(i, d, "used in arithmetic");
                    if (d instanceof Cst a && src instanceof Cst b && cls == Insn.ALU64 && op == Insn.A_ADD) r[n.dst()] = new Cst(a.value() + b.value());
                    else r[n.dst()] = Values.UNK;
                    return st;
                }
                case Insn.LDX -> {
                    V base = r[n.src()];
                    V result = Values.UNK;
                    if (n.mode() == Insn.MODE_MEM) {
                        if (base instanceof Stk k && !k.varOff() && n.size() == Insn.SIZE_DW) {
                            result = st.stack.getOrDefault(k.off() + n.off(), Values.UNK);
                        } else if (base instanceof Ptr p) {
                            access(i, p, n);
                        } else if (base instanceof Poison) {
                            use(i, base, "dereferenced");
                        }
                    }
                    r[n.dst()] = result;
                    return st;
                }
                case Insn.ST, Insn.STX -> {
                    V base = r[n.dst()];
                    V val = cls == Insn.STX ? r[n.src()] : new Cst(n.imm());
                    boolean atomic = n.mode() == Insn.MODE_ATOMIC;
                    if (base instanceof Stk k) {
                        if (k.varOff()) st.stack.clear();
                        else {
                            long at = k.off() + n.off();
                            st.stack.keySet().removeIf(o -> o < at + n.bytes() && at < o + 8);
                            if (!atomic && n.size() == Insn.SIZE_DW && (val instanceof Ptr || val instanceof Poison || val instanceof MapRef)) {
                                st.stack.put(at, val);
                            } else if (!atomic) {
                                use(i, val, "stored to the stack in part");
                            }
                        }
                    } else {
                        if (cls == Insn.STX) use(i, val, "stored into memory");
                        if (base instanceof Ptr p) access(i, p, n);
                        else if (base instanceof Poison) use(i, base, "written through");
                    }
                    if (atomic && cls == Insn.STX) {
                        if ((n.imm() & Insn.BPF_FETCH) != 0) {
                            if (n.imm() == 0xf1) r[0] = Values.UNK; // cmpxchg
                            else r[n.src()] = Values.UNK;
                        }
                    }
                    return st;
                }
                case Insn.LD -> {
                    if (n.isLdImm64()) {
                        Target t = c.targets.get(i);
                        if (t == null) r[n.dst()] = new Cst((n.imm() & 0xffffffffL) | ((long) s[i + 1].imm() << 32));
                        else if (t.kind() == TargetKind.MAP) r[n.dst()] = new MapRef(t.name());
                        else if (t.kind() == TargetKind.DATA) r[n.dst()] = new Ptr(t.name(), true, t.off(), false, i);
                        else {
                            if (record && t.kind() == TargetKind.EXTERN) {
                                refuse(i, null, "refers to the extern " + t.name() + " (__ksym/__kconfig), which the NIC cannot resolve");
                            }
                            r[n.dst()] = Values.UNK;
                        }
                    } else {
                        r[0] = Values.UNK;
                        for (int k = 1; k <= 5; k++) r[k] = Values.UNK;
                    }
                    return st;
                }
                case Insn.JMP, Insn.JMP32 -> {
                    if (n.isCall()) return call(i, n, st);
                    if (n.isExit()) {
                        use(i, r[0], "returned");
                        return st;
                    }
                    if (n.op() != Insn.JA) {
                        boolean nullCheck = !n.regSource() && n.imm() == 0 && ((n.aluOp() == 0x10) || (n.aluOp() == 0x50)) && cls == Insn.JMP;
                        if (!nullCheck) use(i, r[n.dst()], "compared");
                        if (n.regSource()) use(i, r[n.src()], "compared");
                    }
                    return st;
                }
                default -> {
                    return st;
                }
            }
        }

        State call(int i, Insn n, State st) {
            V[] r = st.regs;
            if (n.src() == 1) {
                int args = record ? callArgs(i) : 0x3e;
                for (int k = 1; k <= 5; k++) if ((args & (1 << k)) != 0) use(i, r[k], "passed to a bpf-to-bpf call (argument r" + k + ")");
                boolean stackArg = false;
                for (int k = 1; k <= 5; k++) stackArg |= r[k] instanceof Stk;
                if (stackArg) for (V v : st.stack.values()) use(i, v, "spilled to a stack frame passed to a bpf-to-bpf call");
            } else if (n.src() == 2) {
                if (record) refuse(i, null, "calls a kfunc: the NIC has none");
            } else {
                int id = n.imm();
                if (record) helperIds.put(i, (long) id);
                if (id == HELPER_LOOKUP || id == HELPER_UPDATE || id == HELPER_DELETE) {
                    for (int k = 2; k <= HELPER_ARGS.get(id); k++) use(i, r[k], "passed to a map helper");
                    String map = r[1] instanceof MapRef m ? m.map() : null;
                    if (map == null && record && !converted.isEmpty()) {
                        refuse(i, null, "calls a map helper on a map not known at this instruction; per-CPU maps in the object cannot be tracked");
                    }
                    if (id == HELPER_UPDATE && map != null && converted.contains(map) && record) {
                        if (!(r[4] instanceof Cst f && f.value() == 1)) {
                            refuse(i, map, "bpf_map_update_elem on per-CPU map " + map + " with flags other than BPF_NOEXIST: "
                                    + "it would replace this CPU's value only, a shared map's value for all CPUs");
                        }
                    }
                    for (int k = 1; k <= 5; k++) r[k] = Values.UNK;
                    r[0] = id == HELPER_LOOKUP && map != null ? new Ptr(map, false, 0, false, i) : Values.UNK;
                    return st;
                }
                for (int k = 1; k <= HELPER_ARGS.getOrDefault(id, 5); k++) use(i, r[k], "passed to helper " + id);
            }
            for (int k = 0; k <= 5; k++) r[k] = Values.UNK;
            return st;
        }

        void access(int i, Ptr p, Insn n) {
            if (!record || !watched(p.region(), p.data())) return;
            accesses.add(new Access(i, p, p.varOff() ? -1 : p.off() + n.off(), n.bytes()));
        }

        // -------------------------------------------------------------- helpers the NIC lacks

        void checkHelpers(boolean reachable) {
            if (!reachable) return;
            for (var e : new java.util.TreeMap<>(helperIds).entrySet()) {
                int id = (int) (long) e.getValue();
                if (NFP_HELPERS.contains(id)) continue;
                String name = HELPER_NAMES.getOrDefault(id, "helper " + id);
                refuse(e.getKey(), null, "[nfp] unsupported function id: " + id + " (" + name + "): the NIC has no such helper");
            }
        }

        // -------------------------------------------------------------- per-CPU counters

        boolean uses(Insn n, int reg) {
            if (n.second()) return false;
            int cls = n.cls();
            return switch (cls) {
                case Insn.ALU, Insn.ALU64 -> (n.aluOp() != Insn.A_MOV && n.dst() == reg) || (n.regSource() && n.src() == reg);
                case Insn.LDX -> n.src() == reg;
                case Insn.ST -> n.dst() == reg;
                case Insn.STX -> n.dst() == reg || n.src() == reg;
                case Insn.LD -> n.isLdImm64() ? false : reg <= 6 || (n.mode() == Insn.MODE_IND && n.src() == reg);
                case Insn.JMP, Insn.JMP32 -> n.isCall() ? (reg >= 1 && reg <= 5) : n.isExit() ? reg == 0
                        : n.op() != Insn.JA && (n.dst() == reg || (n.regSource() && n.src() == reg));
                default -> true;
            };
        }

        boolean defines(Insn n, int reg) {
            if (n.second()) return false;
            int cls = n.cls();
            return switch (cls) {
                case Insn.ALU, Insn.ALU64, Insn.LDX -> n.dst() == reg;
                case Insn.LD -> n.isLdImm64() ? n.dst() == reg : reg <= 5;
                case Insn.STX -> n.mode() == Insn.MODE_ATOMIC && (n.imm() & Insn.BPF_FETCH) != 0 && (n.imm() == 0xf1 ? reg == 0 : n.src() == reg);
                case Insn.JMP, Insn.JMP32 -> n.isCall() && reg <= 5;
                default -> false;
            };
        }

        /** Registers live before each slot. */
        int[] liveIn;

        void liveness() {
            liveIn = new int[s.length];
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int i = fn.end() - 1; i >= fn.start(); i--) {
                    Insn n = s[i];
                    if (n.second()) continue;
                    int out = 0;
                    for (int succ : successors(i)) if (succ >= fn.start() && succ < fn.end()) out |= liveIn[succ];
                    int live = out;
                    for (int reg = 0; reg <= 10; reg++) if (defines(n, reg)) live &= ~(1 << reg);
                    for (int reg = 0; reg <= 10; reg++) if (uses(n, reg) && (!n.isCall() || (callArgs(i) & (1 << reg)) != 0)) live |= 1 << reg;
                    if (live != liveIn[i]) {
                        liveIn[i] = live;
                        changed = true;
                    }
                }
            }
        }

        /** The argument registers a call at {@code slot} reads: the callee's live-in, or the helper's arity. */
        int callArgs(int slot) {
            Insn n = s[slot];
            if (n.src() == 1) {
                Fn callee = callee(fn, slot);
                return callee == null ? 0x3e : argMask(callee);
            }
            if (n.src() == 0) {
                int k = HELPER_ARGS.getOrDefault(n.imm(), 5);
                return ((1 << (k + 1)) - 1) & ~1;
            }
            return 0x3e;
        }

        int liveOut(int i) {
            int out = 0;
            for (int succ : successors(i)) if (succ >= fn.start() && succ < fn.end()) out |= liveIn[succ];
            return out;
        }

        boolean touchesSameValue(int slot, Access a) {
            for (Access o : accesses) {
                if (o.slot() != slot || o == a || o.ptr().data() || !o.ptr().region().equals(a.ptr().region())) continue;
                if (o.word() < 0 || a.word() < 0 || (o.word() < a.word() + a.size() && a.word() < o.word() + o.size())) return true;
            }
            return false;
        }

        void rewriteCounters() {
            List<Access> mine = accesses.stream().filter(a -> !a.ptr().data()).toList();
            if (mine.isEmpty()) return;
            liveness();
            Set<Integer> consumed = new HashSet<>();
            List<int[]> rewrites = new ArrayList<>();
            for (Access a : mine) {
                Insn ld = s[a.slot()];
                if (ld.cls() != Insn.LDX) continue;
                String why = matchRmw(a, mine, rewrites);
                if (why == null) {
                    int[] rw = rewrites.get(rewrites.size() - 1);
                    consumed.add(rw[0]);
                    consumed.add(rw[2]);
                } else {
                    refuse(a.slot(), a.ptr().region(), why);
                }
            }
            for (Access a : mine) {
                if (consumed.contains(a.slot())) continue;
                Insn n = s[a.slot()];
                String map = a.ptr().region();
                if (n.cls() == Insn.STX && n.mode() == Insn.MODE_ATOMIC) {
                    if (n.imm() != Insn.A_ADD) {
                        refuse(a.slot(), map, n.text() + ": an atomic operation other than add (op 0x" + Integer.toHexString(n.imm())
                                + ") reads the per-CPU value ([nfp] atomic op not implemented: " + n.imm() + ")");
                    } else if (a.word() < 0) {
                        refuse(a.slot(), map, "atomic add at a variable offset into a value of " + map + " ([nfp] map value offset is variable)");
                    } else {
                        counters.computeIfAbsent(map, k -> new LinkedHashSet<>()).add(new CounterWord((int) a.word(), n.bytes()));
                    }
                } else if (n.cls() == Insn.STX || n.cls() == Insn.ST) {
                    refuse(a.slot(), map, n.text() + ": a plain store into a value of per-CPU map " + map
                            + " that is not a load/add/store of the same word ([nfp] map writes not supported)");
                }
            }
            if (refusalsFor(map -> true)) return;
            for (int[] rw : rewrites) apply(rw);
        }

        boolean refusalsFor(java.util.function.Predicate<String> unused) {
            for (Refusal r : refusals) if (r.program().equals(Optional.of(fn.name()))) return true;
            return false;
        }

        /** @return null when {@code a} starts a read-modify-write (appended to {@code out} as {load, add, store}), else why not */
        String matchRmw(Access a, List<Access> mine, List<int[]> out) {
            Insn ld = s[a.slot()];
            String map = a.ptr().region();
            String read = ld.text() + (a.ptr().data() ? (a.word() < 0 ? ": reads a global variable in " + map : ": reads the global variable word " + map + "+" + a.word())
                    : ": reads a value word of per-CPU map " + map);
            if (a.word() < 0) return read + " at a variable offset ([nfp] map value offset is variable)";
            if (ld.size() != Insn.SIZE_W && ld.size() != Insn.SIZE_DW) return read + " with a " + ld.bytes() + "-byte load: atomic adds are 32 or 64 bits wide";
            int ra = ld.dst();
            int sum = ra;
            boolean commuted = false;
            int j = -1, k = -1;
            for (int x = a.slot() + 1; x < fn.end(); x++) {
                Insn n = s[x];
                if (n.second()) continue;
                if (jumpTargets.get(x)) return read + "; a jump lands between the load and its store, so the read is not only an increment";
                if ((n.isJump() || n.isCall() || n.isExit()) && !uses(n, ra) && !uses(n, sum)) {
                    return read + "; " + n.text() + " lies between the load and its store, so the read is not only an increment";
                }
                if (n.isJump() || n.isCall() || n.isExit()) {
                    return read + " and the value feeds " + (n.isExit() ? "the return value" : n.isCall() ? "a call" : "a decision (" + n.text() + ")")
                            + " ([nfp] map value use type conflict: the NIC cannot read and atomically add one word)";
                }
                for (Access o : mine) {
                    if (o.slot() == x && o != a && o.ptr().region().equals(map)
                            && (o.word() < 0 || (o.word() < a.word() + a.size() && a.word() < o.word() + o.size()))
                            && !(j >= 0 && s[x].cls() == Insn.STX && s[x].src() == sum)) {
                        return read + "; the same word is accessed again at insn " + (x - fn.start()) + " before the store";
                    }
                }
                if (j < 0) {
                    if (!uses(n, ra) && !defines(n, ra)) continue;
                    boolean addWidth = n.cls() == Insn.ALU64 || (n.cls() == Insn.ALU && ld.size() == Insn.SIZE_W);
                    boolean add = addWidth && n.aluOp() == Insn.A_ADD && n.dst() == ra && (!n.regSource() || n.src() != ra);
                    // the commuted form: rB += rA, then rB stored back, rA dead
                    boolean addTo = addWidth && n.aluOp() == Insn.A_ADD && n.regSource() && n.src() == ra && n.dst() != ra
                            && (liveOut(x) & (1 << ra)) == 0;
                    if (!add && !addTo) return read + " and uses it in " + n.text() + " (not an add of a constant or of another register)";
                    if (addTo) {
                        commuted = true;
                        sum = n.dst();
                    }
                    j = x;
                } else {
                    if (!uses(n, sum) && !defines(n, sum)) continue;
                    boolean store = n.cls() == Insn.STX && n.mode() == Insn.MODE_MEM && n.src() == sum && n.size() == ld.size() && n.dst() != sum;
                    if (!store) return read + ", adds to it, then uses the sum in " + n.text() + " (only a store back is an increment)";
                    V base = in[x].regs[n.dst()];
                    // the same pointer: the load's base register, not redefined since, or one lookup's result
                    boolean sameBase = n.dst() == ld.src();
                    for (int y = a.slot() + 1; y < x && sameBase; y++) sameBase = !defines(s[y], ld.src());
                    boolean samePointer = sameBase || (a.ptr().origin() >= 0 && base instanceof Ptr q && q.origin() == a.ptr().origin());
                    if (!(base instanceof Ptr p) || p.data() != a.ptr().data() || !p.region().equals(map) || p.varOff() || !samePointer
                            || p.off() + n.off() != a.word()) {
                        return read + ", adds to it, and stores the sum elsewhere (" + n.text() + ")";
                    }
                    k = x;
                    break;
                }
            }
            if (k < 0) return read + " without storing it back";
            if ((liveOut(k) & (1 << sum)) != 0) {
                return read + " and the value is used again after the store back (insn " + (k - fn.start())
                        + "): a read of a shared counter would see all CPUs' sum ([nfp] map value use type conflict read vs atomic)";
            }
            out.add(new int[]{a.slot(), j, k, commuted ? 1 : 0});
            return null;
        }

        void apply(int[] rw) {
            int i = rw[0], j = rw[1], k = rw[2];
            Insn ld = s[i], add = s[j], st = s[k];
            String before = ld.text() + "; " + add.text() + "; " + st.text();
            s[i] = Insn.ja0();
            if (rw[3] == 1) {
                s[j] = Insn.ja0(); // rB += rA: rB keeps the addend
                s[k] = Insn.atomicAdd(ld.size(), st.dst(), add.dst(), st.off());
            } else {
                s[j] = add.regSource() ? Insn.mov64Reg(ld.dst(), add.src()) : Insn.mov64Imm(ld.dst(), add.imm());
                s[k] = Insn.atomicAdd(ld.size(), st.dst(), ld.dst(), st.off());
            }
            String after = s[i].text() + "; " + s[j].text() + "; " + s[k].text();
            Access a = accesses.stream().filter(x -> x.slot() == i).findFirst().orElseThrow();
            String map = a.ptr().region();
            counters.computeIfAbsent(map, x -> new LinkedHashSet<>()).add(new CounterWord((int) a.word(), ld.bytes()));
            codeChanges.add(new Change(ChangeKind.ATOMIC_ADD, Optional.of(fn.name()), Optional.of(map), i - fn.start(), before, after,
                    "value word " + a.word() + " (" + ld.bytes() + " bytes) is only incremented and the loaded register is dead after the store:"
                            + " an atomic add of the same addend leaves the same value", false));
        }

        // -------------------------------------------------------------- global data

        /**
         * {@code .bss}/{@code .data}: every access must be the load of a load/add/store counter increment;
         * each becomes a lookup of key 0 in the section's one-element ARRAY map and an atomic add (inserted in
         * {@link #emit}). Registers r0-r5 live after the increment are spilled around the lookup call, into stack
         * slots below the function's deepest stack use.
         */
        void moveGlobals(List<Access> sites, Set<String> bad) {
            int before = refusals.size();
            liveness();
            List<int[]> rws = new ArrayList<>();
            for (Access a : sites) {
                Insn n = s[a.slot()];
                if (n.cls() != Insn.LDX) continue;
                String why = matchRmw(a, sites, rws);
                if (why != null) refuse(a.slot(), a.ptr().region(), why + " (only read-modify-write counters move into a map)");
            }
            Set<Integer> consumed = new HashSet<>();
            for (int[] rw : rws) {
                consumed.add(rw[0]);
                consumed.add(rw[2]);
            }
            for (Access a : sites) {
                if (consumed.contains(a.slot()) || s[a.slot()].cls() == Insn.LDX) continue;
                Insn n = s[a.slot()];
                refuse(a.slot(), a.ptr().region(), n.text() + ": " + (n.mode() == Insn.MODE_ATOMIC ? "an atomic operation on " : "a plain store into ")
                        + a.ptr().region() + " that is not the store of a load/add/store counter increment (only such counters move into a map)");
            }
            if (img.section(".maps") == null || img.section(".BTF") == null) {
                for (Access a : sites) {
                    refuse(a.slot(), a.ptr().region(), "the object has no BTF .maps section to add the counter map to"
                            + " (legacy map definitions are not extended)");
                    break;
                }
            }
            if (img.section(".maps") != null && img.section(".BTF") != null && new BtfEditor(img.section(".BTF").data).datasec(".maps") < 0) {
                refuse(sites.get(0).slot(), sites.get(0).ptr().region(), "the object's BTF has no .maps DATASEC to add the counter map to");
            }
            for (Code other : code.values()) {
                for (var e : other.targets.entrySet()) {
                    if (e.getValue().kind() == TargetKind.FUNC && other.slots[e.getKey()].isLdImm64()) {
                        refuse(sites.get(0).slot(), sites.get(0).ptr().region(), "the object takes the address of a function (ld_imm64 of a callback):"
                                + " such references are not moved when instructions are inserted");
                    }
                }
            }
            for (Access a : sites) {
                if (a.word() > Short.MAX_VALUE) refuse(a.slot(), a.ptr().region(), "the counter's offset " + a.word() + " does not fit an instruction's offset field");
            }
            int depth = stackDepth();
            if (depth < 0) refuse(sites.get(0).slot(), sites.get(0).ptr().region(), "the function uses the stack at a variable offset:"
                    + " no free stack slot for the lookup key can be shown");
            int base = (depth + 7) / 8 * 8;
            List<GlobalSite> mine = new ArrayList<>();
            for (int[] rw : rws) {
                if (refusals.size() > before) break;
                int i = rw[0], j = rw[1], k = rw[2];
                Access a = sites.stream().filter(x -> x.slot() == i).findFirst().orElseThrow();
                String sec = a.ptr().region();
                Insn add = s[j];
                int addendReg = rw[3] == 1 ? add.dst() : add.regSource() ? add.src() : -1;
                for (int y = j + 1; y < k && addendReg >= 0; y++) {
                    if (defines(s[y], addendReg)) {
                        refuse(i, sec, s[i].text() + ": the addend r" + addendReg + " is redefined at insn " + (y - fn.start())
                                + " before the store, so the add cannot move to the store");
                    }
                }
                ElfImage.Section section = img.section(sec);
                if (section.data != null) {
                    for (int b = 0; b < s[i].bytes(); b++) {
                        if (a.word() + b < section.data.length && section.data[(int) a.word() + b] != 0) {
                            refuse(i, sec, s[i].text() + ": the counter " + sec + "+" + a.word() + " starts non-zero in the object;"
                                    + " the map libbpf creates for it would start at zero");
                            break;
                        }
                    }
                }
                int spill = liveOut(k) & 0x3f;
                if (rw[3] == 0 && ((spill >> s[i].dst()) & 1) != 0) spill &= ~(1 << s[i].dst());
                int slots = Integer.bitCount(spill) + (addendReg >= 0 && addendReg <= 5 && ((spill >> addendReg) & 1) == 0 ? 1 : 0);
                if (base + 8 + 8 * slots > 512) {
                    refuse(i, sec, s[i].text() + ": the stack has no room for the lookup key and " + slots
                            + " saved registers below its deepest use (" + depth + " of 512 bytes)");
                    continue;
                }
                mine.add(new GlobalSite(fn, i, j, k, sec, (int) a.word(), s[i].size(), addendReg, rw[3] == 1 ? 0 : add.imm(), spill, base,
                        s[i].text() + "; " + add.text() + "; " + s[k].text()));
            }
            if (refusals.size() > before) {
                for (Access a : sites) bad.add(a.ptr().region());
                return;
            }
            globalSites.addAll(mine);
            for (GlobalSite g : mine) {
                globalWords.computeIfAbsent(g.section(), x -> new LinkedHashSet<>()).add(new CounterWord(g.word(), g.size() == Insn.SIZE_DW ? 8 : 4));
            }
            // the section's address is no longer dereferenced: a plain constant, its relocation dropped
            for (int i = fn.start(); i < fn.end(); i++) {
                Target t = c.targets.get(i);
                if (t == null || t.kind() != TargetKind.DATA || !isMovable(t.name()) || !s[i].isLdImm64() || s[i].op() != Insn.LD_IMM64) continue;
                s[i] = new Insn(Insn.LD_IMM64, s[i].dst(), 0, (short) 0, 0, false);
                s[i + 1] = new Insn(0, 0, 0, (short) 0, 0, true);
                c.dropRelocs.add(i);
            }
        }

        /** @return the deepest stack byte the function touches or points at (bytes below r10), or -1 when unknown */
        int stackDepth() {
            int d = 0;
            for (int i = fn.start(); i < fn.end(); i++) {
                if (in[i] == null || s[i].second()) continue;
                for (V v : in[i].regs) {
                    if (v instanceof Stk k) {
                        if (k.varOff()) return -1;
                        d = (int) Math.max(d, -k.off());
                    }
                }
                Insn n = s[i];
                int baseReg = n.cls() == Insn.LDX ? n.src() : (n.cls() == Insn.ST || n.cls() == Insn.STX) ? n.dst() : -1;
                if (baseReg >= 0 && baseReg <= 10 && in[i].regs[baseReg] instanceof Stk k && !k.varOff()) d = (int) Math.max(d, -(k.off() + n.off()));
            }
            return d;
        }

        void foldData() {
            List<Access> data = accesses.stream().filter(a -> a.ptr().data() && !isMovable(a.ptr().region())).toList();
            List<Access> movable = accesses.stream().filter(a -> a.ptr().data() && isMovable(a.ptr().region())).toList();
            Set<String> bad = new HashSet<>();
            if (!movable.isEmpty()) moveGlobals(movable, bad);
            for (Access a : data) {
                String sec = a.ptr().region();
                Insn n = s[a.slot()];
                if (!isRodata(sec)) {
                    refuse(a.slot(), sec, n.text() + ": uses a global variable in " + sec
                            + " (libbpf makes a BPF_F_MMAPABLE array of it, which the NIC refuses: map flags are not supported);"
                            + " only .bss and .data counters are moved into a map");
                    bad.add(sec);
                    continue;
                }
                if (n.cls() != Insn.LDX) {
                    refuse(a.slot(), sec, n.text() + ": writes " + sec + ", which is read-only");
                    bad.add(sec);
                } else if (a.word() < 0) {
                    refuse(a.slot(), sec, n.text() + ": reads " + sec + " at a variable offset (a table indexed at run time cannot be folded)");
                    bad.add(sec);
                }
            }
            if (!bad.isEmpty() || refusalsFor(x -> true)) {
                dataRefused.addAll(bad);
                return;
            }
            liveness();
            List<Runnable> edits = new ArrayList<>();
            for (Access a : data) {
                String sec = a.ptr().region();
                Insn n = s[a.slot()];
                ElfImage.Section section = img.section(sec);
                byte[] bytes = section.data;
                if (a.word() + n.bytes() > section.size) {
                    refuse(a.slot(), sec, n.text() + ": reads outside " + sec);
                    return;
                }
                long v = 0;
                for (int b = n.bytes() - 1; b >= 0; b--) v = (v << 8) | (bytes == null ? 0 : bytes[(int) a.word() + b] & 0xff);
                long value = v;
                int slot = a.slot();
                String before = n.text();
                if (n.size() != Insn.SIZE_DW) {
                    edits.add(() -> fold(slot, Insn.mov32Imm(n.dst(), (int) value), sec, before, a));
                } else if (value == (long) (int) value) {
                    edits.add(() -> fold(slot, Insn.mov64Imm(n.dst(), (int) value), sec, before, a));
                } else {
                    int p = a.ptr().origin();
                    boolean adjacent = p >= 0 && p + 2 == slot && (s[p].dst() == n.dst() || (liveOut(slot) & (1 << s[p].dst())) == 0);
                    if (!adjacent) {
                        refuse(slot, sec, before + ": the 64-bit constant 0x" + Long.toHexString(value) + " at " + sec + "+" + a.word()
                                + " does not fit an immediate and the address is not loaded right before");
                        return;
                    }
                    edits.add(() -> {
                        String b2 = s[p].text() + "; " + before;
                        s[p] = new Insn(Insn.LD_IMM64, n.dst(), 0, (short) 0, (int) value, false);
                        s[p + 1] = new Insn(0, 0, 0, (short) 0, (int) (value >>> 32), true);
                        s[slot] = Insn.ja0();
                        c.dropRelocs.add(p);
                        foldedSections.add(sec);
                        codeChanges.add(new Change(ChangeKind.RODATA_FOLD, Optional.of(fn.name()), Optional.of(sec), p - fn.start(), b2,
                                "r" + n.dst() + " = 0x" + Long.toHexString(value) + " ll; goto +0",
                                sec + "+" + a.word() + " holds 0x" + Long.toHexString(value) + " in the object; the value is baked in", false));
                    });
                }
            }
            edits.forEach(Runnable::run);
            // the ld_imm64 that took a folded section's address: now a plain constant, its relocation dropped
            for (int i = fn.start(); i < fn.end(); i++) {
                Target t = c.targets.get(i);
                if (t == null || t.kind() != TargetKind.DATA || !isRodata(t.name()) || c.dropRelocs.contains(i) || !s[i].isLdImm64()) continue;
                if (s[i].op() != Insn.LD_IMM64) continue;
                s[i] = new Insn(Insn.LD_IMM64, s[i].dst(), 0, (short) 0, 0, false);
                s[i + 1] = new Insn(0, 0, 0, (short) 0, 0, true);
                c.dropRelocs.add(i);
                foldedSections.add(t.name());
            }
        }

        void fold(int slot, Insn with, String sec, String before, Access a) {
            s[slot] = with;
            foldedSections.add(sec);
            codeChanges.add(new Change(ChangeKind.RODATA_FOLD, Optional.of(fn.name()), Optional.of(sec), slot - fn.start(), before, with.text(),
                    sec + "+" + a.word() + " holds " + (with.imm()) + " in the object; the value is baked in", false));
        }

        // -------------------------------------------------------------- TC_ACT_OK -> TC_ACT_UNSPEC

        void tcOkToUnspec() {
            // reaching definitions of every register: reach[slot][reg] = slots whose definition may reach (-1: entry)
            @SuppressWarnings("unchecked")
            Set<Integer>[][] reach = new Set[s.length][];
            Set<Integer>[] entry = newDefs();
            for (int r = 0; r <= 10; r++) entry[r].add(-1);
            reach[fn.start()] = entry;
            ArrayDeque<Integer> work = new ArrayDeque<>(List.of(fn.start()));
            while (!work.isEmpty()) {
                int i = work.poll();
                Set<Integer>[] out = newDefs();
                for (int r = 0; r <= 10; r++) out[r] = defines(s[i], r) ? new HashSet<>(Set.of(i)) : reach[i][r];
                for (int succ : successors(i)) {
                    if (succ < fn.start() || succ >= fn.end()) continue;
                    boolean changed = reach[succ] == null;
                    if (changed) reach[succ] = newDefs();
                    for (int r = 0; r <= 10; r++) changed |= reach[succ][r].addAll(out[r]);
                    if (changed) work.add(succ);
                }
            }
            Set<Integer> candidates = new TreeSet<>();
            for (int i = fn.start(); i < fn.end(); i++) {
                if (reach[i] == null || !s[i].isExit()) continue;
                for (int d : reach[i][0]) {
                    String why = constantLeaves(reach, d, 0, candidates, 0);
                    if (why != null) {
                        refuse(i, null, "tc-ok-to-unspec: the return value at this exit is " + why
                                + ", not a constant moved into r0 (perhaps through register copies), so TC_ACT_OK cannot be"
                                + " told apart without inserting instructions ([nfp] unsupported exit state: the NIC needs a constant return code)");
                        return;
                    }
                }
            }
            for (int d : candidates) {
                String bad = flowsOnlyToExits(reach, d, s[d].dst(), new HashSet<>());
                if (bad != null) {
                    refuse(d, null, s[d].text() + " (TC_ACT_OK) reaches an exit but also " + bad + ": it cannot become TC_ACT_UNSPEC");
                    return;
                }
            }
            for (int d : candidates) {
                Insn n = s[d];
                String before = n.text();
                s[d] = new Insn(n.op(), n.dst(), n.src(), n.off(), -1, false);
                codeChanges.add(new Change(ChangeKind.TC_OK_TO_UNSPEC, Optional.of(fn.name()), Optional.empty(), d - fn.start(), before,
                        s[d].text(), "TC_ACT_OK -> TC_ACT_UNSPEC: the same only when this program is the last filter on its hook", true));
            }
        }

        @SuppressWarnings("unchecked")
        private Set<Integer>[] newDefs() {
            Set<Integer>[] d = new Set[11];
            for (int r = 0; r <= 10; r++) d[r] = new HashSet<>();
            return d;
        }

        /** Collects the constant moves of 0 that definition {@code d} of {@code reg} comes from; null, or why it is not constant. */
        private String constantLeaves(Set<Integer>[][] reach, int d, int reg, Set<Integer> zeros, int depth) {
            if (d < 0) return "set before the program starts";
            if (depth > 16) return "copied through too many registers";
            Insn n = s[d];
            boolean mov = (n.cls() == Insn.ALU64 || n.cls() == Insn.ALU) && n.aluOp() == Insn.A_MOV;
            if (mov && !n.regSource()) {
                if (n.imm() == 0) zeros.add(d);
                return null;
            }
            if (mov && n.cls() == Insn.ALU64 && reach[d] != null) {
                for (int e : reach[d][n.src()]) {
                    String why = constantLeaves(reach, e, n.src(), zeros, depth + 1);
                    if (why != null) return why;
                }
                return null;
            }
            return "computed by insn " + (d - fn.start()) + " (" + n.text() + ")";
        }

        /** @return null when the value defined at {@code d} in {@code reg} reaches only exits (through 64-bit copies), else the other use */
        private String flowsOnlyToExits(Set<Integer>[][] reach, int d, int reg, Set<Integer> seen) {
            if (!seen.add(d)) return null;
            for (int u = fn.start(); u < fn.end(); u++) {
                if (reach[u] == null || !reach[u][reg].contains(d) || !uses(s[u], reg)) continue;
                Insn n = s[u];
                if (n.isExit() && reg == 0) continue;
                boolean copy = n.cls() == Insn.ALU64 && n.aluOp() == Insn.A_MOV && n.regSource() && n.src() == reg;
                if (!copy) return n.text() + " at insn " + (u - fn.start());
                String deeper = flowsOnlyToExits(reach, u, n.dst(), seen);
                if (deeper != null) return deeper;
            }
            return null;
        }
    }
}

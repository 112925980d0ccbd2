package dev.nicoffload.offload.adapt;

import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness;
import dev.nicoffload.offload.adapt.equivalence.PacketSet;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;
import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.precheck.NfpPreChecker;
import dev.nicoffload.offload.spec.ObjectSpec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code .bss}/{@code .data} counters moved into one-element ARRAY maps (global_counters.bpf.c: two .bss
 * counters behind branches in the program, a .data counter in a bpf-to-bpf subprogram): the exact
 * instructions inserted, every jump and call landing on the same (shifted) instruction, symbols and
 * relocations moved, libbpf loading the result, the NFP pre-checker accepting it, and the original and
 * adapted programs giving the same counters on the same packets (the equivalence harness).
 */
class GlobalCounterTest {

    static Insn[] slots(byte[] elf, String section) {
        ElfImage img = ElfImage.read(elf);
        byte[] d = img.section(section).data;
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        Insn[] out = new Insn[d.length / 8];
        for (int i = 0; i < out.length; i++) {
            boolean second = i > 0 && out[i - 1].isLdImm64();
            out[i] = new Insn(d[i * 8] & 0xff, d[i * 8 + 1] & 0xf, (d[i * 8 + 1] & 0xff) >> 4, b.getShort(i * 8 + 2), b.getInt(i * 8 + 4), second);
        }
        return out;
    }

    static List<String> texts(Insn[] s, int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < to; i++) if (!s[i].second()) l.add(s[i].text());
        return l;
    }

    static final Pattern RANGE = Pattern.compile("^insn (\\d+)-(\\d+): ");

    /**
     * Old slot -> new slot, built from the input, the output and the reported sites only: outside the
     * reported inserted ranges every output instruction must be the next kept input instruction (equal
     * except jump/call offsets); a site's load, add and store map to its inserted range.
     */
    static int[] alignment(Insn[] in, Insn[] out, List<Change> sites) {
        boolean[] dropped = new boolean[in.length];
        boolean[] inserted = new boolean[out.length];
        for (Change c : sites) {
            Matcher m = RANGE.matcher(c.after());
            assertTrue(m.find(), c.after());
            for (int x = Integer.parseInt(m.group(1)); x <= Integer.parseInt(m.group(2)); x++) inserted[x] = true;
            // the site's three instructions: the load at the reported index, then the add and the store
            int i = c.instruction(), found = 0;
            for (int x = i; found < 3; x++) {
                String t = in[x].text();
                if (c.before().contains(t) && !dropped[x]) {
                    dropped[x] = true;
                    found++;
                }
            }
        }
        int[] map = new int[in.length + 1];
        int o = 0;
        for (int i = 0; i < in.length; i++) {
            if (dropped[i]) {
                map[i] = -1;
                continue;
            }
            while (o < out.length && inserted[o]) o++;
            Insn a = in[i], b = out[o];
            boolean rel = a.isJump() || (a.isCall() && a.src() == 1);
            assertEquals(a.op(), b.op(), "slot " + i + " -> " + o);
            assertEquals(a.dst(), b.dst());
            assertEquals(a.src(), b.src());
            // the section's address load becomes the constant 0 (its relocation dropped)
            boolean addressLoad = (a.isLdImm64() && b.equals(new Insn(Insn.LD_IMM64, a.dst(), 0, (short) 0, 0, false)))
                    || (a.second() && b.second() && b.imm() == 0);
            if (!rel && !addressLoad) assertEquals(a, b, "slot " + i + " kept as it was");
            map[i] = o++;
        }
        while (o < out.length && inserted[o]) o++;
        assertEquals(out.length, o, "every output slot is an input slot or inserted");
        map[in.length] = out.length;
        return map;
    }

    /** BTF.ext line_info (subsection 1) or func_info (0) instruction slots of one code section, read independently. */
    static List<Integer> extOffsets(byte[] elf, int subsection, String section) {
        ElfImage img = ElfImage.read(elf);
        ByteBuffer e = ByteBuffer.wrap(img.section(".BTF.ext").data).order(ByteOrder.LITTLE_ENDIAN);
        byte[] btf = img.section(".BTF").data;
        ByteBuffer t = ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN);
        int strs = t.getInt(4) + t.getInt(16);
        int off = e.getInt(4) + e.getInt(8 + 8 * subsection), end = off + e.getInt(12 + 8 * subsection);
        int rec = e.getInt(off);
        List<Integer> out = new ArrayList<>();
        for (int p = off + 4; p < end; ) {
            int name = e.getInt(p), n = e.getInt(p + 4);
            int z = strs + name;
            while (btf[z] != 0) z++;
            boolean mine = new String(btf, strs + name, z - strs - name, java.nio.charset.StandardCharsets.UTF_8).equals(section);
            p += 8;
            for (int r = 0; r < n; r++, p += rec) if (mine) out.add(e.getInt(p) / 8);
        }
        return out;
    }

    @Test
    void bssAndDataCountersMoveIntoOneElementArrayMaps() {
        byte[] in = AdapterTest.object("global_counters");
        Adaptation a = Adapter.adapt(in, "global_counters", AdaptOptions.defaults());
        assertTrue(a.adaptable(), a.report().render());
        byte[] out = a.output().orElseThrow();
        List<Change> sites = a.report().changes().stream().filter(c -> c.kind() == ChangeKind.GLOBAL_COUNTER_TO_MAP && c.instruction() >= 0).toList();
        assertEquals(3, sites.size(), a.report().render());

        // the .bss byte counter (bytes += len) behind the branch: r1 is live after it, r2 is the addend
        Change bytes = sites.stream().filter(c -> c.before().equals("r4 = *(u64 *)(r3 + 0); r4 += r2; *(u64 *)(r3 + 0) = r4")).findFirst().orElseThrow();
        assertEquals("xdp_globals", bytes.program().orElseThrow());
        assertEquals(Optional.of("nico_bss"), bytes.map());
        assertEquals(16, bytes.instruction());
        assertTrue(bytes.after().startsWith("insn 27-39: "), bytes.after());
        Insn[] x = slots(out, "xdp");
        assertEquals(List.of("*(u64 *)(r10 - 24) = r1", "*(u64 *)(r10 - 32) = r2", "r1 = 0", "*(u32 *)(r10 - 16) = r1", "r2 = r10", "r2 += -16",
                "r1 = 0 ll", "call 1", "if r0 == 0 goto +2", "r1 = *(u64 *)(r10 - 32)", "lock *(u64 *)(r0 + 0) += r1",
                "r1 = *(u64 *)(r10 - 24)"), texts(x, 27, 40));
        assertEquals("r3 = 0 ll", x[25].text(), "the section address is a plain constant now");
        // the packet counter (pkts += 1, .bss+8): an immediate addend
        assertEquals(List.of("*(u64 *)(r10 - 24) = r1", "*(u64 *)(r10 - 32) = r2", "r1 = 0", "*(u32 *)(r10 - 16) = r1", "r2 = r10", "r2 += -16",
                "r1 = 0 ll", "call 1", "if r0 == 0 goto +2", "r1 = 1", "lock *(u64 *)(r0 + 8) += r1",
                "r1 = *(u64 *)(r10 - 24)", "r2 = *(u64 *)(r10 - 32)"), texts(x, 5, 19));
        // the .data counter in the subprogram: nothing live to save
        Insn[] t = slots(out, ".text");
        assertEquals(List.of("r1 = 0", "*(u32 *)(r10 - 8) = r1", "r2 = r10", "r2 += -8", "r1 = 0 ll", "call 1", "if r0 == 0 goto +2", "r1 = 1",
                "lock *(u64 *)(r0 + 0) += r1", "r0 = 1", "exit"), texts(t, 6, 18));

        // every jump and call lands on the same instruction as before, shifted
        for (String sec : List.of("xdp", ".text")) {
            Insn[] i0 = slots(in, sec), i1 = slots(out, sec);
            List<Change> here = sites.stream().filter(c -> c.program().orElseThrow().equals(sec.equals("xdp") ? "xdp_globals" : "classify")).toList();
            int[] map = alignment(i0, i1, here);
            int jumps = 0;
            for (int i = 0; i < i0.length; i++) {
                if (i0[i].second() || !i0[i].isJump()) continue;
                int target = i + 1 + i0[i].off();
                int newTarget = map[i] + 1 + i1[map[i]].off();
                int expect = map[target];
                for (int k = target; expect < 0; k++) expect = map[k + 1]; // a dropped load: its place is what follows
                assertEquals(expect, newTarget, sec + " jump at " + i);
                jumps++;
            }
            assertTrue(jumps >= 1, sec);
            // BTF.ext line and function info: each record on the same instruction (a dropped load/add: the sequence replacing it)
            for (int sub = 0; sub <= 1; sub++) {
                List<Integer> before = extOffsets(in, sub, sec), expected = new ArrayList<>();
                for (int slot : before) {
                    int k = slot;
                    while (k > 0 && map[k] < 0) k--;
                    expected.add(map[k] < 0 ? 0 : k == slot ? map[k] : map[k] + 1);
                }
                assertFalse(before.isEmpty(), sec + " has BTF.ext records");
                assertEquals(expected, extOffsets(out, sub, sec), sec + " BTF.ext subsection " + sub);
            }
        }
        // the call from xdp_globals still reaches classify, the first instruction of .text (section symbol + imm + 1)
        Insn call = null;
        for (Insn i : x) if (i.isCall() && i.src() == 1) call = i;
        assertEquals(-1, call.imm());
        // symbols: classify grew by 7 slots, xdp_globals by 11 + 10
        ElfImage img = ElfImage.read(out);
        for (ElfImage.Symbol s : img.symbols) {
            if (s.name().equals("classify")) assertEquals(18 * 8, s.size());
            if (s.name().equals("xdp_globals")) assertEquals(53 * 8, s.size());
            if (s.name().equals("LBB0_2")) assertEquals(40 * 8, s.value());
        }
        // relocations: the map loads point at the new map symbols; no relocation refers to .bss/.data any more
        List<String> relocs = new ArrayList<>();
        ElfImage.Section xdp = img.section("xdp");
        for (ElfImage.Reloc r : img.relocs(img.relSectionFor(xdp.index))) {
            ElfImage.Symbol sym = img.symbols.get(r.symbol());
            relocs.add(r.offset() / 8 + ":" + (sym.type() == ElfImage.STT_SECTION ? img.sections.get(sym.shndx()).name : sym.name()));
        }
        assertEquals(List.of("11:nico_bss", "33:nico_bss", "40:.text", "45:verdicts"), relocs);

        ObjectSpec spec = ObjectSpec.parse(out);
        assertEquals(MapType.ARRAY, spec.map("nico_bss").orElseThrow().type());
        assertEquals(16, spec.map("nico_bss").orElseThrow().valueSize());
        assertEquals(1, spec.map("nico_bss").orElseThrow().maxEntries());
        assertEquals(4, spec.map("nico_bss").orElseThrow().keySize());
        assertEquals(8, spec.map("nico_data").orElseThrow().valueSize());
        assertTrue(spec.maps().stream().noneMatch(m -> m.globalData()), spec.maps().toString());

        assertEquals(List.of(
                new MapCorrespondence(MapCorrespondence.Kind.SAME, Optional.of("verdicts"), "verdicts", List.of()),
                new MapCorrespondence(MapCorrespondence.Kind.GLOBAL_COUNTERS, Optional.of("nico_bss"), Adapter.libbpfInternalMapName("global_counters", ".bss"),
                        List.of(new CounterWord(0, 8), new CounterWord(8, 8))),
                new MapCorrespondence(MapCorrespondence.Kind.GLOBAL_COUNTERS, Optional.of("nico_data"), Adapter.libbpfInternalMapName("global_counters", ".data"),
                        List.of(new CounterWord(0, 8)))), a.report().mapCorrespondences());

        FirmwareCapabilities nfpsim = FirmwareCapabilities.nfpsim();
        assertFalse(new NfpPreChecker(nfpsim).check(ObjectSpec.parse(in)).stream().allMatch(CheckReport::offloadable));
        List<CheckReport> checked = new NfpPreChecker(nfpsim).check(spec);
        assertTrue(checked.stream().allMatch(CheckReport::offloadable), checked.toString());
    }

    @Test
    void libbpfLoadsTheMovedCountersAndTheyCountAsBefore() {
        byte[] in = AdapterTest.object("global_counters");
        Adaptation a = Adapter.adapt(in, "global_counters", AdaptOptions.defaults());
        byte[] out = a.output().orElseThrow();
        try (LoadedObject o = ObjectLoader.load(out, LoadOptions.host().withObjectName("global_counters"))) {
            BpfMap m = o.map("nico_bss");
            assertEquals(MapType.ARRAY, m.type());
            assertEquals(16, m.valueSize());
            assertEquals(1, m.maxEntries());
            assertEquals(8, o.map("nico_data").valueSize());
            assertTrue(o.maps().stream().noneMatch(x -> x.name().endsWith(".bss") || x.name().endsWith(".data")), o.maps().toString());
        }
        EquivalenceHarness.requireRoot();
        List<byte[]> packets = PacketSet.generate(18, 300);
        EquivalenceHarness.Result r = EquivalenceHarness.compare(EquivalenceHarness.Run.of(in, out, "global_counters", "xdp_globals",
                a.report().mapCorrespondences(), packets));
        assertEquals(0, r.differenceCount(), r.differences().toString());
        assertEquals(3, r.mapsCompared(), r.toString());
        assertTrue(r.packetsExecuted() >= 270, r.toString());
    }

    @Test
    void aCounterMapLargerThanTheNicAllowsIsReported() {
        Adaptation a = AdapterTest.adapt("bss_large", AdaptOptions.defaults());
        assertTrue(a.adaptable(), a.report().render());
        Change made = a.report().changes().stream().filter(c -> c.kind() == ChangeKind.GLOBAL_COUNTER_TO_MAP && c.map().equals(Optional.of("nico_bss"))
                && c.instruction() < 0).findFirst().orElseThrow();
        assertEquals("map nico_bss (ARRAY, key u32 0, value 80 bytes, max_entries 1)", made.after());
        assertTrue(made.note().endsWith("the value is larger than the NFP's 64-byte limit (nfpsim), the NIC will refuse the map"), made.note());
        List<CheckReport> checked = new NfpPreChecker(FirmwareCapabilities.nfpsim()).check(ObjectSpec.parse(a.output().orElseThrow()));
        assertFalse(checked.stream().allMatch(CheckReport::offloadable), checked.toString());
    }

    @Test
    void aReadForADecisionANonZeroDataCounterAndAnObjectWithoutBtfMapsAreRefused() {
        Adaptation a = AdapterTest.adapt("data_initialised", AdaptOptions.defaults());
        assertFalse(a.adaptable());
        assertEquals(List.of("xdp_data_init insn 2 (map .data): r2 = *(u64 *)(r1 + 0): the counter .data+0 starts non-zero in the object;"
                + " the map libbpf creates for it would start at zero"), a.report().refusals().stream().map(Refusal::render).toList());
        Adaptation d = AdapterTest.adapt("bss_decision", AdaptOptions.defaults());
        assertFalse(d.adaptable());
        assertEquals(List.of("xdp_budget insn 3 (map .bss): r2 = *(u64 *)(r1 + 0): reads the global variable word .bss+0 and the value feeds"
                        + " a decision (if r2 > 100 goto +3) ([nfp] map value use type conflict: the NIC cannot read and atomically add one word)"
                        + " (only read-modify-write counters move into a map)",
                "xdp_budget insn 6 (map .bss): *(u64 *)(r1 + 0) = r2: a plain store into .bss that is not the store of a load/add/store"
                        + " counter increment (only such counters move into a map)"),
                d.report().refusals().stream().map(Refusal::render).toList());
        assertTrue(d.output().isEmpty());
        Adaptation b = AdapterTest.adapt("bss_counter", AdaptOptions.defaults());
        assertFalse(b.adaptable());
        assertTrue(b.report().refusals().get(0).reason().contains("no BTF .maps section"), b.report().render());
    }
}

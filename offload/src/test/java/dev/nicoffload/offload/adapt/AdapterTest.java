package dev.nicoffload.offload.adapt;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;
import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.precheck.NfpPreChecker;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import dev.nicoffload.offload.spec.TestObjects;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapter on small BPF C programs (offload/src/test/bpf/adapt, compiled by the test build): the exact
 * instructions before and after, refusal reasons, and that libbpf loads the output (a host load).
 */
class AdapterTest {

    static byte[] object(String name) {
        try {
            return Files.readAllBytes(TestObjects.dir().resolve("adapt").resolve(name + ".o"));
        } catch (IOException e) {
            throw new UncheckedIOException("adapter test object missing (did the test build run clang?): " + name, e);
        }
    }

    static Adaptation adapt(String name, AdaptOptions options) {
        return Adapter.adapt(object(name), name, options);
    }

    static List<Instruction> insns(byte[] elf, String program) {
        return ObjectSpec.parse(elf).program(program).orElseThrow().instructions();
    }

    /** Slot indices (the kernel's numbering) where the two programs differ. */
    static List<Integer> differingSlots(ProgramSpec a, ProgramSpec b) {
        assertEquals(a.slotCount(), b.slotCount(), "the adapter never changes the instruction count");
        List<Integer> out = new ArrayList<>();
        byte[] x = a.encode(), y = b.encode();
        for (int i = 0; i < x.length / 8; i++) {
            if (!Arrays.equals(x, i * 8, i * 8 + 8, y, i * 8, i * 8 + 8)) out.add(i);
        }
        return out;
    }

    static Instruction at(ProgramSpec p, int slot) {
        int n = 0;
        for (Instruction i : p.instructions()) {
            if (n == slot) return i;
            n += i.slots();
        }
        throw new AssertionError("no instruction at slot " + slot);
    }

    static boolean offloadable(byte[] elf) {
        return new NfpPreChecker(FirmwareCapabilities.agilioCx()).check(ObjectSpec.parse(elf)).stream().allMatch(CheckReport::offloadable);
    }

    @Test
    void perCpuCountersBecomeAtomicAddsOnSharedMaps() {
        byte[] in = object("percpu_counters");
        Adaptation a = Adapter.adapt(in, "percpu_counters", AdaptOptions.defaults());
        assertTrue(a.adaptable(), a.report().render());
        byte[] out = a.output().orElseThrow();
        ObjectSpec before = ObjectSpec.parse(in), after = ObjectSpec.parse(out);
        assertEquals(MapType.PERCPU_ARRAY, before.map("actions").orElseThrow().type());
        assertEquals(MapType.ARRAY, after.map("actions").orElseThrow().type());
        assertEquals(MapType.HASH, after.map("protos").orElseThrow().type());
        assertEquals(1, before.map("protos").orElseThrow().flags());
        assertEquals(0, after.map("protos").orElseThrow().flags(), "BPF_F_NO_PREALLOC dropped");
        assertEquals(64, after.map("protos").orElseThrow().maxEntries(), "other members untouched");
        assertEquals(5, after.map("actions").orElseThrow().maxEntries());

        ProgramSpec p0 = before.program("xdp_percpu").orElseThrow(), p1 = after.program("xdp_percpu").orElseThrow();
        List<Change> adds = a.report().changes().stream().filter(c -> c.kind() == ChangeKind.ATOMIC_ADD).toList();
        assertEquals(3, adds.size(), a.report().render());
        // every changed slot belongs to a reported rewrite; each rewrite is: ja +0, the addend, lock add
        List<Integer> expected = new ArrayList<>();
        for (Change c : adds) {
            int i = c.instruction();
            Instruction load = at(p0, i);
            assertEquals(Instruction.LDX | Instruction.MODE_MEM, load.opcode() & 0xe7, "the rewrite starts at the load");
            assertEquals(Instruction.JMP | Instruction.JA, at(p1, i).opcode());
            assertEquals(0, at(p1, i).off());
            expected.add(i);
        }
        // the u64 action counter: r1 = *(u64 *)(r0 + 0); r1 += 1; *(u64 *)(r0 + 0) = r1
        Change actions = adds.stream().filter(c -> c.map().orElseThrow().equals("actions")).findFirst().orElseThrow();
        assertEquals("r1 = *(u64 *)(r0 + 0); r1 += 1; *(u64 *)(r0 + 0) = r1", actions.before());
        assertEquals("goto +0; r1 = 1; lock *(u64 *)(r0 + 0) += r1", actions.after());
        int i = actions.instruction();
        assertEquals(Instruction.of(Instruction.ALU64 | Instruction.MOV | Instruction.SRC_K, 1, 0, 0, 1), at(p1, i + 1));
        assertEquals(Instruction.of(Instruction.STX | Instruction.MODE_ATOMIC | Instruction.SIZE_DW, 0, 1, 0, Instruction.ADD), at(p1, i + 2));
        // the u32 packets word of the protos value: a 32-bit atomic add
        Change packets = adds.stream().filter(c -> c.before().contains("u32")).findFirst().orElseThrow();
        assertEquals("goto +0; r1 = 1; lock *(u32 *)(r0 + 0) += w1", packets.after());
        // the byte count, commuted by clang: r1 = *(u64 *)(r0 + 8); r7 += r1; *(u64 *)(r0 + 8) = r7
        Change bytes = adds.stream().filter(c -> c.before().contains("r0 + 8")).findFirst().orElseThrow();
        assertEquals("r1 = *(u64 *)(r0 + 8); r7 += r1; *(u64 *)(r0 + 8) = r7", bytes.before());
        assertEquals("goto +0; goto +0; lock *(u64 *)(r0 + 8) += r7", bytes.after());
        for (int slot : differingSlots(p0, p1)) {
            assertTrue(expected.stream().anyMatch(s -> slot >= s && slot <= s + 2), "slot " + slot + " changed outside a reported rewrite");
        }
        assertEquals(List.of(
                new MapCorrespondence(MapCorrespondence.Kind.PERCPU_SUM, java.util.Optional.of("actions"), "actions", List.of(new CounterWord(0, 8))),
                new MapCorrespondence(MapCorrespondence.Kind.PERCPU_SUM, java.util.Optional.of("protos"), "protos",
                        List.of(new CounterWord(0, 4), new CounterWord(8, 8)))), a.report().mapCorrespondences());
        assertFalse(offloadable(in));
        assertTrue(offloadable(out), "the NFP pre-checker accepts the adapted object");
        assertTrue(a.report().render().contains("map actions is shared now"));
    }

    @Test
    void adaptedObjectLoadsThroughLibbpfWithTheNewMapTypes() {
        try (LoadedObject o = ObjectLoader.load(object("percpu_counters"), LoadOptions.host().adapting(AdaptOptions.defaults()))) {
            assertEquals(MapType.ARRAY, o.map("actions").type());
            assertEquals(MapType.HASH, o.map("protos").type());
            assertEquals(0, o.map("protos").flags());
            assertEquals(3, o.adaptation().orElseThrow().changes().stream().filter(c -> c.kind() == ChangeKind.ATOMIC_ADD).count());
        }
        try (LoadedObject o = ObjectLoader.load(object("percpu_counters"), LoadOptions.host())) {
            assertEquals(MapType.PERCPU_ARRAY, o.map("actions").type(), "without the option nothing is adapted");
            assertTrue(o.adaptation().isEmpty());
        }
    }

    @Test
    void rodataReadsAreFoldedAndTheSectionLeavesNoMap() {
        byte[] in = object("rodata_config");
        Adaptation a = Adapter.adapt(in, "rodata_config", AdaptOptions.defaults());
        assertTrue(a.adaptable(), a.report().render());
        byte[] out = a.output().orElseThrow();
        assertTrue(ObjectSpec.parse(in).map(".rodata").isPresent());
        assertTrue(ObjectSpec.parse(out).map(".rodata").isEmpty(), "libbpf makes no .rodata map any more");
        List<Instruction> prog = insns(out, "xdp_config");
        assertTrue(prog.stream().noneMatch(x -> x.reference() != null && x.reference().startsWith(".rodata")));
        assertTrue(prog.contains(Instruction.ldImm64(3, 0, 0x1122334455L)), "the 64-bit constant as an ld_imm64");
        assertTrue(prog.contains(Instruction.of(Instruction.ALU | Instruction.MOV | Instruction.SRC_K, 2, 0, 0, 53)), "u16 cfg_port");
        assertTrue(prog.contains(Instruction.of(Instruction.ALU | Instruction.MOV | Instruction.SRC_K, 0, 0, 0, 2)), "u32 cfg_action");
        assertEquals(List.of(new MapCorrespondence(MapCorrespondence.Kind.RODATA_FOLDED, java.util.Optional.empty(), "rodata_c.rodata", List.of())),
                a.report().mapCorrespondences());
        try (LoadedObject o = ObjectLoader.load(out, LoadOptions.host().withObjectName("rodata_config"))) {
            assertTrue(o.maps().isEmpty(), "no global data map: " + o.maps());
        }
        assertFalse(offloadable(in));
        assertTrue(offloadable(out));
    }

    @Test
    void aCounterAlsoReadForADecisionIsRefusedWithTheInstruction() {
        Adaptation a = adapt("read_for_decision", AdaptOptions.defaults());
        assertFalse(a.adaptable());
        assertTrue(a.output().isEmpty());
        assertTrue(a.report().changes().isEmpty(), "nothing is reported as changed when nothing is written");
        Refusal r = a.report().refusals().get(0);
        assertEquals("xdp_limit", r.program().orElseThrow());
        assertEquals(10, r.instruction());
        assertEquals("seen", r.map().orElseThrow());
        assertTrue(r.reason().contains("used again after the store back"), r.reason());
        assertTrue(r.reason().contains("[nfp] map value use type conflict"), r.reason());
    }

    @Test
    void aStoredTimestampIsRefusedForTheHelperAndThePlainStore() {
        Adaptation a = adapt("timestamp", AdaptOptions.defaults());
        assertFalse(a.adaptable());
        List<String> lines = a.report().refusals().stream().map(Refusal::render).toList();
        assertTrue(lines.contains("xdp_stamp insn 9: [nfp] unsupported function id: 5 (bpf_ktime_get_ns): the NIC has no such helper"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("xdp_stamp insn 10 (map last): *(u64 *)(r6 + 0) = r0: a plain store")
                && l.endsWith("([nfp] map writes not supported)")), lines.toString());
    }

    @Test
    void aPerCpuScratchBufferIsRefused() {
        Adaptation a = adapt("scratch", AdaptOptions.defaults());
        assertFalse(a.adaptable());
        assertTrue(a.report().refusals().stream().allMatch(r -> r.map().orElse("").equals("scratch")));
        assertTrue(a.report().refusals().stream().anyMatch(r -> r.reason().contains("map writes not supported")));
    }

    @Test
    void lruNeedsPermissionAndThenSaysItChangesMeaning() {
        Adaptation refused = adapt("lru_flows", AdaptOptions.defaults());
        assertFalse(refused.adaptable());
        assertTrue(refused.report().refusals().get(0).reason().contains("--allow lru-to-hash"));
        Adaptation a = adapt("lru_flows", AdaptOptions.defaults().allowing(AllowedChange.LRU_TO_HASH));
        assertTrue(a.adaptable(), a.report().render());
        assertEquals(MapType.HASH, ObjectSpec.parse(a.output().orElseThrow()).map("flows").orElseThrow().type());
        Change c = a.report().changes().get(0);
        assertEquals(ChangeKind.LRU_TO_HASH, c.kind());
        assertTrue(c.changesMeaning());
        assertTrue(a.report().changesMeaning());
        assertTrue(c.render().endsWith("(changes meaning)"));
    }

    @Test
    void tcOkBecomesUnspecOnlyWhenAllowed() {
        Adaptation plain = adapt("tc_ok_const", AdaptOptions.defaults());
        assertTrue(plain.adaptable());
        assertTrue(plain.report().changes().isEmpty());
        assertArrayEquals(object("tc_ok_const"), plain.output().orElseThrow(), "nothing changed: the input byte for byte");
        Adaptation a = adapt("tc_ok_const", AdaptOptions.defaults().allowing(AllowedChange.TC_OK_TO_UNSPEC));
        assertTrue(a.adaptable(), a.report().render());
        Change c = a.report().changes().get(0);
        assertEquals(ChangeKind.TC_OK_TO_UNSPEC, c.kind());
        assertEquals("r1 = 0", c.before());
        assertEquals("r1 = -1", c.after());
        assertTrue(c.changesMeaning());
        ProgramSpec out = ObjectSpec.parse(a.output().orElseThrow()).program("tc_block").orElseThrow();
        assertEquals(Instruction.of(Instruction.ALU64 | Instruction.MOV | Instruction.SRC_K, 1, 0, 0, -1), at(out, c.instruction()));
        assertFalse(offloadable(object("tc_ok_const")));
        assertTrue(offloadable(a.output().orElseThrow()));
    }

    @Test
    void aComputedTcReturnCodeIsRefusedWhenTcOkIsAllowed() {
        Adaptation a = adapt("tc_ok", AdaptOptions.defaults().allowing(AllowedChange.TC_OK_TO_UNSPEC));
        assertFalse(a.adaptable());
        assertTrue(a.report().refusals().get(0).reason().contains("computed by insn 5 (r0 <<= 1)"), a.report().render());
    }

    @Test
    void bssCountersAreRefusedWithTheReason() {
        Adaptation a = adapt("bss_counter", AdaptOptions.defaults());
        assertFalse(a.adaptable());
        assertTrue(a.report().refusals().get(0).reason().contains("no BTF .maps section"), a.report().render());
    }

    @Test
    void mapTypesAndHelpersTheNicLacksAreRefused() {
        Adaptation a = adapt("redirect_devmap", AdaptOptions.defaults());
        assertFalse(a.adaptable());
        List<String> lines = a.report().refusals().stream().map(Refusal::render).toList();
        assertTrue(lines.contains("(map ports): map type DEVMAP cannot be offloaded: only HASH and ARRAY maps live on the NIC (nfp: map type not supported)"), lines.toString());
        assertTrue(lines.contains("xdp_redirect insn 4: [nfp] unsupported function id: 51 (bpf_redirect_map): the NIC has no such helper"), lines.toString());
    }

    @Test
    void aTypeArraySharedWithMaxEntriesIsNotEditedInPlace() {
        Adaptation a = adapt("shared_dims", AdaptOptions.defaults());
        assertTrue(a.adaptable(), a.report().render());
        var six = ObjectSpec.parse(a.output().orElseThrow()).map("six").orElseThrow();
        assertEquals(MapType.ARRAY, six.type());
        assertEquals(6, six.maxEntries(), "max_entries shares clang's int[6] with the type member");
        try (LoadedObject o = ObjectLoader.load(a.output().orElseThrow(), LoadOptions.host())) {
            assertEquals(MapType.ARRAY, o.map("six").type());
            assertEquals(6, o.map("six").maxEntries());
        }
    }

    @Test
    void legacyMapDefinitionsAreEditedInPlace() {
        byte[] in = object("legacy_percpu");
        Adaptation a = Adapter.adapt(in, "legacy_percpu", AdaptOptions.defaults());
        assertTrue(a.adaptable(), a.report().render());
        byte[] out = a.output().orElseThrow();
        assertEquals(MapType.ARRAY, ObjectSpec.parse(out).map("counts").orElseThrow().type());
        byte[] def = ElfImage.read(out).section("maps").data;
        assertEquals(2, def[0], "struct bpf_map_def.type is BPF_MAP_TYPE_ARRAY in place");
        assertEquals(6, ElfImage.read(in).section("maps").data[0], "was BPF_MAP_TYPE_PERCPU_ARRAY");
        assertEquals(2, def[12], "max_entries untouched");
    }

    @Test
    void nothingToChangeGivesTheInputBack() {
        byte[] in = object("plain_pass");
        Adaptation a = Adapter.adapt(in, "plain_pass", AdaptOptions.defaults());
        assertTrue(a.adaptable());
        assertArrayEquals(in, a.output().orElseThrow());
        assertEquals("no change needed\n", a.report().render());
    }

    @Test
    void programSelectionNamesAMissingProgram() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> adapt("plain_pass", AdaptOptions.defaults().withProgram("nope")));
        assertTrue(e.getMessage().contains("has: xdp_plain"), e.getMessage());
    }

    @Test
    void libbpfNamesGlobalDataMapsAsLibbpfDoes() {
        assertEquals("rodata_c.rodata", Adapter.libbpfInternalMapName("rodata_config", ".rodata"));
        assertEquals("pc.bss", Adapter.libbpfInternalMapName("pc", ".bss"));
        assertEquals(".rodata.str1.1", Adapter.libbpfInternalMapName("anything", ".rodata.str1.1"));
    }

    @Test
    void checkWithAdaptJudgesTheAdaptedObject(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path in = dir.resolve("percpu_counters.o");
        Files.write(in, object("percpu_counters"));
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int plain = dev.nicoffload.offload.precheck.CheckTool.run(new String[]{in.toString()}, System.in, new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertEquals(1, plain, "per-CPU maps are refused as written");
        out.reset();
        int adapted = dev.nicoffload.offload.precheck.CheckTool.run(new String[]{in.toString(), "--adapt"}, System.in, new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertEquals(0, adapted, out.toString());
        String text = out.toString();
        assertTrue(text.contains("change: map actions: type PERCPU_ARRAY -> type ARRAY"), text);
        assertTrue(text.contains("after adapting:"), text);
        Path bad = dir.resolve("read_for_decision.o");
        Files.write(bad, object("read_for_decision"));
        out.reset();
        assertEquals(1, dev.nicoffload.offload.precheck.CheckTool.run(new String[]{bad.toString(), "--adapt"}, System.in,
                new java.io.PrintStream(out), new java.io.PrintStream(err)));
        assertTrue(out.toString().contains("refused: xdp_limit insn 10"), out.toString());
    }

    @Test
    void extendedRegistersAreRefusedInTheDriversWords() {
        Adaptation a = Adapter.adapt(readCorpus("op_extreg"), "op_extreg", AdaptOptions.defaults());
        assertFalse(a.adaptable());
        assertTrue(a.report().refusals().get(0).reason().startsWith("[nfp] program uses extended registers - jit hardening?"));
    }

    static byte[] readCorpus(String name) {
        try {
            return Files.readAllBytes(TestObjects.object(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCommandWritesOnlyWhenAdaptable(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path in = dir.resolve("percpu_counters.o");
        Files.write(in, object("percpu_counters"));
        Path out = dir.resolve("out.o");
        var stdout = new java.io.ByteArrayOutputStream();
        var stderr = new java.io.ByteArrayOutputStream();
        int rc = AdaptTool.run(new String[]{in.toString(), "-o", out.toString()}, new java.io.PrintStream(stdout), new java.io.PrintStream(stderr));
        assertEquals(0, rc, stderr.toString());
        assertTrue(Files.exists(out));
        assertTrue(stdout.toString().contains("change: xdp_percpu insn "), stdout.toString());

        Path bad = dir.resolve("read_for_decision.o");
        Files.write(bad, object("read_for_decision"));
        Path out2 = dir.resolve("out2.o");
        rc = AdaptTool.run(new String[]{bad.toString(), "-o", out2.toString()}, new java.io.PrintStream(stdout), new java.io.PrintStream(stderr));
        assertEquals(1, rc);
        assertFalse(Files.exists(out2), "no output when the program cannot be adapted");
        assertTrue(stderr.toString().contains("refused: xdp_limit insn 10"), stderr.toString());

        assertEquals(2, AdaptTool.run(new String[]{in.toString()}, new java.io.PrintStream(stdout), new java.io.PrintStream(stderr)), "missing -o");
        assertEquals(2, AdaptTool.run(new String[]{in.toString(), "-o", out.toString(), "--allow", "everything"},
                new java.io.PrintStream(stdout), new java.io.PrintStream(stderr)));
        assertEquals(2, AdaptTool.run(new String[]{dir.resolve("missing.o").toString(), "-o", out.toString()},
                new java.io.PrintStream(stdout), new java.io.PrintStream(stderr)));
        rc = AdaptTool.run(new String[]{dir.resolve("read_for_decision.o").toString(), "-o", out2.toString(), "--program", "xdp_limit"},
                new java.io.PrintStream(stdout), new java.io.PrintStream(stderr));
        assertEquals(1, rc);
    }
}

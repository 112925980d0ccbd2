package dev.nicoffload.offload.spec;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Reading clang-built BPF objects into specs, with libbpf's relocations. */
class ObjectSpecTest {

    @Test
    void readsProgramSectionTypeAndLicense() {
        ObjectSpec spec = TestObjects.spec("nfpsim_xdp_pass");
        assertEquals("GPL", spec.license());
        ProgramSpec p = spec.programs().getFirst();
        assertEquals("nfpsim_xdp_pass", p.name());
        assertEquals("xdp", p.sectionName());
        assertEquals(ProgramType.XDP, p.type());
        assertEquals(0, p.flags());
        // r0 = 2; exit
        assertEquals(List.of(Instruction.of(0xb7, 0, 0, 0, 2), Instruction.of(0x95, 0, 0, 0, 0)), p.instructions());
        assertEquals("b7000000020000009500000000000000", hex(p.encode()));
    }

    @Test
    void infersProgramTypesFromSectionNamesLikeLibbpf() {
        assertEquals(ProgramType.SCHED_CLS, TestObjects.spec("nfpsim_tc_ok").programs().getFirst().type());
        assertEquals(ProgramType.SCHED_CLS, TestObjects.spec("exit_tc_values_ok").programs().getFirst().type()); // "classifier"
        assertEquals(ProgramType.SOCKET_FILTER, TestObjects.spec("type_socket").programs().getFirst().type());
        ProgramSpec frags = TestObjects.spec("flags_frags").programs().getFirst();
        assertEquals(ProgramType.XDP, frags.type());
        assertEquals(ProgramSpec.F_XDP_HAS_FRAGS, frags.flags());
    }

    @Test
    void readsBtfDefinedMaps() {
        ObjectSpec spec = TestObjects.spec("nfpsim_xdp_map");
        MapSpec m = spec.map("pkts").orElseThrow();
        assertEquals(new MapSpec("pkts", MapType.ARRAY, 4, 8, 8, 0, -1, 0, false), m);
        MapSpec perf = TestObjects.spec("nfpsim_xdp_perf").map("samples").orElseThrow();
        assertEquals(MapType.PERF_EVENT_ARRAY, perf.type());
        assertEquals(4, perf.keySize());
        assertEquals(4, perf.valueSize());
        MapSpec lazy = TestObjects.spec("map_no_prealloc").map("lazy").orElseThrow();
        assertEquals(MapType.HASH, lazy.type());
        assertEquals(1, lazy.flags());
        MapSpec wide = TestObjects.spec("map_sizes").map("wide_keys").orElseThrow();
        assertEquals(72, wide.keySize());
        assertEquals(2097152, TestObjects.spec("map_sizes").map("many").orElseThrow().maxEntries());
    }

    @Test
    void mapReferencesBecomePseudoMapFdWithSymbolicImmediate() {
        ObjectSpec spec = TestObjects.spec("nfpsim_xdp_map");
        ProgramSpec p = spec.programs().getFirst();
        List<Instruction> refs = p.instructions().stream().filter(i -> i.reference() != null).toList();
        assertEquals(1, refs.size());
        Instruction ld = refs.getFirst();
        assertTrue(ld.isLdImm64());
        assertEquals(Instruction.PSEUDO_MAP_FD, ld.src());
        assertEquals(0, ld.imm());
        assertEquals("pkts", ld.reference());
        assertEquals(List.of(spec.map("pkts").orElseThrow()), spec.mapsUsedBy(p));
        // ld_imm64 counts as two slots: the call after it is at slot index (logical index + 1)
        int logical = p.instructions().indexOf(ld);
        assertEquals(logical + 2, p.slotIndex(logical + 1) - p.slotIndex(logical) + logical);
        assertEquals(p.encode().length / 8, p.slotCount());
    }

    @Test
    void appendsTextSubprogramsAndFixesCallImmediates() {
        ProgramSpec p = TestObjects.spec("nfpsim_xdp_call").programs().getFirst();
        int mainSlots = -1, callSlot = -1, slot = 0;
        for (Instruction i : p.instructions()) {
            if (i.isPseudoCall()) callSlot = slot;
            if (i.isExit() && mainSlots < 0) mainSlots = slot + 1;
            slot += i.slots();
        }
        Instruction call = p.instructions().get(p.instructions().stream().filter(Instruction::isPseudoCall).findFirst().map(p.instructions()::indexOf).orElseThrow());
        // the subprogram was appended right after the main program's last instruction
        assertEquals(mainSlots, callSlot + call.imm() + 1);
        assertTrue(p.slotCount() > mainSlots);
        assertTrue(p.instructions().getLast().isExit());
    }

    @Test
    void globalDataBecomesAnInternalMapAndMapValueReference() {
        ObjectSpec spec = TestObjects.spec("global_data");
        MapSpec data = spec.map(".data").orElseThrow();
        assertTrue(data.globalData());
        assertEquals(MapType.ARRAY, data.type());
        assertEquals(1, data.maxEntries());
        assertEquals(4, data.valueSize());
        Instruction ld = spec.programs().getFirst().instructions().stream().filter(i -> ".data".equals(i.reference())).findFirst().orElseThrow();
        assertEquals(Instruction.PSEUDO_MAP_VALUE, ld.src());
    }

    @Test
    void specsCanBeChangedBeforeLoad() {
        ObjectSpec spec = TestObjects.spec("nfpsim_xdp_map");
        ObjectSpec bigger = spec.withMap(spec.map("pkts").orElseThrow().withMaxEntries(1024));
        assertEquals(1024, bigger.map("pkts").orElseThrow().maxEntries());
        assertEquals(8, spec.map("pkts").orElseThrow().maxEntries(), "the original spec is unchanged");
        ProgramSpec tc = spec.programs().getFirst().withType(ProgramType.SCHED_CLS);
        assertEquals(ProgramType.SCHED_CLS, spec.withProgram(tc).programs().getFirst().type());
        assertThrows(IllegalArgumentException.class, () -> spec.withMap(new MapSpec("nope", MapType.HASH, 4, 4, 1, 0, -1, 0, false)));
        assertThrows(UnsupportedOperationException.class, () -> spec.programs().getFirst().instructions().clear());
    }

    @Test
    void readsLegacyMapsSection() throws IOException {
        byte[] elf = Files.readAllBytes(TestObjects.object("legacy_maps"));
        ObjectSpec spec = ObjectSpec.parse(elf);
        assertEquals(new MapSpec("legacy_counts", MapType.HASH, 4, 8, 32, 0, -1, 0, false), spec.map("legacy_counts").orElseThrow());
        Instruction ld = spec.programs().getFirst().instructions().stream().filter(Instruction::isLdImm64).findFirst().orElseThrow();
        assertEquals("legacy_counts", ld.reference());
        assertEquals(Instruction.PSEUDO_MAP_FD, ld.src());
    }

    @Test
    void decodingHelpersSplitTheOpcode() {
        Instruction stx = Instruction.of(0xdb, 1, 2, -8, 0); // lock *(u64 *)(r1 - 8) += r2
        assertEquals(Instruction.STX, stx.cls());
        assertEquals(Instruction.SIZE_DW, stx.size());
        assertEquals(8, stx.sizeBytes());
        assertEquals(Instruction.MODE_ATOMIC, stx.mode());
        Instruction div = Instruction.of(0x3c, 1, 2, 0, 0); // w1 /= w2
        assertEquals(Instruction.ALU, div.cls());
        assertEquals(Instruction.DIV, div.op());
        assertEquals(Instruction.SRC_X, div.source());
        Instruction ld = Instruction.ldImm64(3, 0, 0x1122334455667788L);
        assertEquals(2, ld.slots());
        assertEquals(0x1122334455667788L, ld.constant());
        assertThrows(IllegalArgumentException.class, () -> Instruction.of(0x100, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Instruction.of(0xb7, 16, 0, 0, 0));
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x));
        return s.toString();
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}

package dev.nicoffload.offload.precheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Firmware profiles: the built-in ones, the builder, and nfpsim's debugfs files. */
class FirmwareCapabilitiesTest {

    /** The files nfpsim creates, in the formats debugfs prints them (u8/u16/u32 decimal, x8..x32 hex, bool Y/N). */
    static void writeNfpsimDefaults(Path dir) throws IOException {
        Map<String, String> bar = Map.of("bpf_abi", "3", "bpf_cap", "0x01", "bpf_max_len", "4096", "bpf_start", "0x0080",
                "bpf_done", "0x0010", "bpf_stack_sz", "8", "bpf_inl_mtu", "32");
        Map<String, String> caps = new java.util.HashMap<>(Map.of("abi_version", "3", "adjust_head_flags", "0x00000001",
                "adjust_head_off_min", "8", "adjust_head_off_max", "248", "adjust_head_guaranteed_sub", "64",
                "adjust_head_guaranteed_add", "46", "maps_types", "0x00000006", "maps_max_maps", "64",
                "maps_max_elems", "1048576", "maps_max_key_sz", "64"));
        caps.putAll(Map.of("maps_max_val_sz", "64", "maps_max_elem_sz", "128", "helper_map_lookup", "0x00003f00",
                "helper_map_update", "0x00003f10", "helper_map_delete", "0x00003f20", "helper_perf_event_output", "0x00003f30",
                "pseudo_random", "Y", "queue_select", "Y", "adjust_tail", "Y", "cmsg_multi_ent", "Y"));
        Files.createDirectories(dir.resolve("bar"));
        Files.createDirectories(dir.resolve("caps"));
        for (var e : bar.entrySet()) Files.writeString(dir.resolve("bar").resolve(e.getKey()), e.getValue() + "\n");
        for (var e : caps.entrySet()) Files.writeString(dir.resolve("caps").resolve(e.getKey()), e.getValue() + "\n");
    }

    @Test
    void nfpsimDebugfsDefaultsEqualTheBuiltInNfpsimProfile(@TempDir Path dir) throws IOException {
        writeNfpsimDefaults(dir);
        assertEquals(FirmwareCapabilities.nfpsim(), FirmwareCapabilities.fromNfpsimDebugfs(dir));
    }

    @Test
    void debugfsKnobsTurnFeaturesDown(@TempDir Path dir) throws IOException {
        writeNfpsimDefaults(dir);
        Files.writeString(dir.resolve("bar/bpf_stack_sz"), "0\n");
        Files.writeString(dir.resolve("caps/helper_map_lookup"), "0x00000000\n");
        Files.writeString(dir.resolve("caps/pseudo_random"), "N\n");
        FirmwareCapabilities c = FirmwareCapabilities.fromNfpsimDebugfs(dir);
        assertEquals(0, c.stackBytes());
        assertEquals(0, c.helperMapLookup());
        assertFalse(c.pseudoRandom());
        assertEquals(0x3f10, c.helperMapUpdate());
    }

    @Test
    void missingOrGarbledFilesAreReported(@TempDir Path dir) throws IOException {
        assertThrows(UncheckedIOException.class, () -> FirmwareCapabilities.fromNfpsimDebugfs(dir));
        writeNfpsimDefaults(dir);
        Files.writeString(dir.resolve("caps/adjust_tail"), "maybe\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FirmwareCapabilities.fromNfpsimDebugfs(dir));
        assertTrue(e.getMessage().contains("adjust_tail"));
    }

    @Test
    void profilesDeriveStackAndSplitBoundary() {
        FirmwareCapabilities n = FirmwareCapabilities.nfpsim();
        assertEquals(512, n.stackBytes());
        assertEquals(2016, n.packetSplitBoundary());
        assertEquals(4096, n.maxProgramLength());
        FirmwareCapabilities cx = FirmwareCapabilities.agilioCx();
        assertEquals(2, cx.abiVersion());
        assertEquals(64, cx.maxElementSize());
        assertFalse(cx.adjustTail());
        assertEquals(n.toBuilder().build(), n);
        assertThrows(IllegalArgumentException.class, () -> FirmwareCapabilities.builder().stackSizeUnits(256).build());
    }
}

package dev.nicoffload.offload.adapt.equivalence;

import dev.nicoffload.offload.adapt.Adapter;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The names the adapter's report gives global-data maps ({@link Adapter#libbpfInternalMapName}) are
 * the ones libbpf itself gives them when it loads the object: the harness pairs maps by these names.
 */
class LibbpfMapNamesTest {

    private static List<String> libbpfNames(Path file, String objectName) throws Exception {
        EquivalenceHarness.requireRoot();
        byte[] elf = BtfPinning.withoutPinning(Files.readAllBytes(file));
        try (LoadedObject o = ObjectLoader.load(elf, LoadOptions.host().withObjectName(objectName))) {
            return o.maps().stream().map(BpfMap::name).toList();
        }
    }

    @Test
    void bssOfALongObjectNameGetsAnEightCharacterPrefix() throws Exception {
        List<String> names = libbpfNames(AdaptCorpus.corpusDir().resolve("xdp_global_counters.o"), "xdp_global_counters");
        assertEquals(List.of("xdp_glob.bss"), names);
        assertEquals(names.getFirst(), Adapter.libbpfInternalMapName("xdp_global_counters", ".bss"));
    }

    @Test
    void charactersAMapNameCannotHoldBecomeUnderscores() throws Exception {
        Path dispatcher = AdaptCorpus.debianDir().resolve("xdp-dispatcher.o");
        assertTrue(Files.isRegularFile(dispatcher), "libxdp1's xdp-dispatcher.o");
        List<String> names = libbpfNames(dispatcher, "xdp-dispatcher");
        assertEquals(List.of("xdp_disp.rodata"), names);
        assertEquals(names.getFirst(), Adapter.libbpfInternalMapName("xdp-dispatcher", ".rodata"));
    }
}

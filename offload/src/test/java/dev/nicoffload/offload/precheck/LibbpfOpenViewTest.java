package dev.nicoffload.offload.precheck;

import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.TestObjects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The maps the checker predicts are the maps libbpf 1.1 creates: for every corpus object (and the
 * Debian xdp-tools objects when installed) the host's libbpf opens the object (no kernel involved)
 * and its maps, in libbpf's creation order with their types, sizes and flags (global data maps:
 * {@code BPF_F_RDONLY_PROG} on {@code .rodata}, {@code BPF_F_MMAPABLE} only with a non-static
 * variable), must equal the spec's. The objects under {@code open/} must fail to open in libbpf
 * and in the spec reader alike.
 */
class LibbpfOpenViewTest {

    /** One map as both sides see it; libbpf prefixes internal map names with the object name. */
    record View(String name, int type, int key, int value, int maxEntries, int flags) {
    }

    private static List<Path> objects(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".o") && !f.getFileName().toString().equals("legacy_maps.o")).sorted().toList();
        }
    }

    /** @return libbpf's maps, or null when libbpf refuses to open the object */
    private static List<View> libbpf(Path object) throws IOException {
        byte[] elf = Files.readAllBytes(object);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(elf.length, 8);
            buf.copyFrom(MemorySegment.ofArray(elf));
            LibBpf.OpenResult r = LibBpf.openMem(buf, "o");
            if (r.object().equals(MemorySegment.NULL)) return null;
            List<View> out = new ArrayList<>();
            try {
                for (MemorySegment m = LibBpf.nextMap(r.object(), MemorySegment.NULL); !m.equals(MemorySegment.NULL);
                     m = LibBpf.nextMap(r.object(), m)) {
                    String name = LibBpf.mapName(m);
                    out.add(new View(name.startsWith("o.") ? name.substring(1) : name, LibBpf.mapType(m), LibBpf.mapKeySize(m),
                            LibBpf.mapValueSize(m), LibBpf.mapMaxEntries(m), LibBpf.mapFlags(m)));
                }
            } finally {
                LibBpf.objectClose(r.object());
            }
            return out;
        }
    }

    private static List<View> spec(ObjectSpec spec) {
        return spec.maps().stream().filter(m -> !(m.globalData() && m.valueSize() == 0))
                .map((MapSpec m) -> new View(m.name(), m.type().value(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags())).toList();
    }

    private static void libbpfPresent() {
        try {
            LibBpf.ensureLoaded();
        } catch (RuntimeException | LinkageError e) {
            Assumptions.abort("libbpf.so.1 not loadable on this host: " + e);
        }
    }

    @TestFactory
    Stream<DynamicTest> specMapsAreLibbpfsMaps() throws IOException {
        List<Path> all = new ArrayList<>(objects(TestObjects.dir()));
        all.addAll(objects(TestObjects.dir().resolve("v3")));
        all.addAll(objects(Path.of(System.getProperty("nicoffload.debian.bpf", "/usr/lib/x86_64-linux-gnu/bpf"))));
        return all.stream().map(o -> DynamicTest.dynamicTest(o.getFileName().toString(), () -> {
            libbpfPresent();
            List<View> lib = libbpf(o);
            assertNotNull(lib, o + ": libbpf opens it");
            assertEquals(lib, spec(ObjectSpec.read(o)), o.toString());
        }));
    }

    @TestFactory
    Stream<DynamicTest> objectsLibbpfRefusesTheSpecReaderRefuses() throws IOException {
        return objects(TestObjects.dir().resolve("open")).stream().map(o -> DynamicTest.dynamicTest(o.getFileName().toString(), () -> {
            libbpfPresent();
            assertNull(libbpf(o), o + ": libbpf refuses it at open");
            assertThrows(dev.nicoffload.offload.spec.ObjectFormatException.class, () -> ObjectSpec.read(o));
        }));
    }
}

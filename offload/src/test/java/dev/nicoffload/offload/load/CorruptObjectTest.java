package dev.nicoffload.offload.load;

import dev.nicoffload.offload.spec.ObjectFormatException;
import dev.nicoffload.offload.spec.ObjectSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Objects on which libbpf 1.1.2's {@code bpf_object__open_mem} crashes with SIGSEGV (found by
 * mutating {@code pristine-xdp_maps_ret0.o}: corrupt BTF type ids and string offsets, relocation
 * symbols and section extents) are refused with {@link ObjectFormatException} before the downcall.
 * Were one to reach libbpf, this JVM would die and the test run with it.
 */
class CorruptObjectTest {

    private static final int CRASHERS = 8;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CorruptObjectTest.class.getResourceAsStream("corrupt/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource corrupt/" + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void objectsThatCrashLibbpfAreRefusedBeforeTheDowncall() throws IOException {
        for (int i = 0; i < CRASHERS; i++) {
            byte[] elf = resource("libbpf-segv-" + i + ".o");
            ObjectFormatException e = assertThrows(ObjectFormatException.class,
                    () -> ObjectLoader.load(elf, LoadOptions.host()).close(), "crasher " + i);
            assertTrue(e.getMessage().contains(".BTF") || e.getMessage().contains("section")
                    || e.getMessage().contains("relocation"), e.getMessage());
        }
    }

    @Test
    void thePristineObjectPassesTheStructureCheckAndLoads() throws IOException {
        byte[] elf = resource("pristine-xdp_maps_ret0.o");
        ObjectSpec.checkStructure(elf);
        try (LoadedObject obj = ObjectLoader.load(elf, LoadOptions.host())) {
            assertEquals(List.of("array", "htab"), obj.maps().stream().map(BpfMap::name).sorted().toList());
        }
    }
}

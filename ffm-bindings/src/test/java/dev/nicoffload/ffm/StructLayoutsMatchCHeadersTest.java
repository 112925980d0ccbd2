package dev.nicoffload.ffm;

import dev.nicoffload.ffm.bpf.BpfLayouts;
import dev.nicoffload.ffm.libc.Ethtool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every struct layout the bindings use, compared field by field (offset and size) and in total
 * size with what gcc computes from the installed headers (libbpf 1.1.2, linux uapi, glibc).
 */
class StructLayoutsMatchCHeadersTest {

    /** A Java layout and the C type it mirrors; {@code wholeStruct} false for slices of a union. */
    record Checked(String cType, GroupLayout layout, boolean wholeStruct) {
    }

    static final List<Checked> CHECKED = List.of(
            new Checked("struct bpf_prog_info", BpfLayouts.PROG_INFO, true),
            new Checked("struct bpf_map_info", BpfLayouts.MAP_INFO, true),
            new Checked("struct bpf_object_open_opts", BpfLayouts.OBJECT_OPEN_OPTS, true),
            new Checked("struct bpf_xdp_query_opts", BpfLayouts.XDP_QUERY_OPTS, true),
            new Checked("union bpf_attr", BpfLayouts.ATTR_MAP_CREATE, false),
            new Checked("union bpf_attr", BpfLayouts.ATTR_PROG_LOAD, false),
            new Checked("struct ifreq", Ethtool.IFREQ, true),
            new Checked("struct ethtool_drvinfo", Ethtool.DRVINFO, true));

    static Map<String, Long> measured;

    @BeforeAll
    static void compileAndRunProbe() throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <net/if.h>
                #include <linux/bpf.h>
                #include <linux/ethtool.h>
                #include <bpf/libbpf.h>
                #define FIELD(t, f) printf("%s.%s %zu %zu\\n", #t, #f, offsetof(t, f), sizeof(((t *)0)->f));
                int main(void) {
                """);
        for (Checked k : CHECKED) {
            c.append("  printf(\"%s %zu\\n\", \"").append(k.cType()).append("\", sizeof(").append(k.cType()).append("));\n");
            for (MemoryLayout m : k.layout().memberLayouts()) {
                if (m.name().isPresent()) {
                    c.append("  FIELD(").append(k.cType()).append(", ").append(m.name().get()).append(")\n");
                }
            }
        }
        c.append("  return 0;\n}\n");
        Path dir = Files.createTempDirectory("nicoffload-layout-probe");
        Path src = dir.resolve("probe.c");
        Path exe = dir.resolve("probe");
        Files.writeString(src, c);
        String out = run(List.of("gcc", "-I/usr/include/x86_64-linux-gnu", "-o", exe.toString(), src.toString()));
        measured = new HashMap<>();
        for (String line : run(List.of(exe.toString())).split("\n")) {
            String[] parts = line.split(" ");
            // "struct x 232", "union bpf_attr 144", "struct x.f 8 4"
            if (parts.length == 3) {
                measured.put(parts[0] + " " + parts[1], Long.parseLong(parts[2]));
            } else if (parts.length == 4) {
                measured.put(parts[0] + " " + parts[1] + "@off", Long.parseLong(parts[2]));
                measured.put(parts[0] + " " + parts[1] + "@size", Long.parseLong(parts[3]));
            }
        }
        assertNotNull(out);
        Files.delete(exe);
        Files.delete(src);
        Files.delete(dir);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed:\n" + out);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyNamedFieldHasTheCOffsetAndSize() {
        return CHECKED.stream().flatMap(k -> k.layout().memberLayouts().stream()
                .filter(m -> m.name().isPresent())
                .map(m -> DynamicTest.dynamicTest(k.cType() + "." + m.name().get(), () -> {
                    String key = k.cType() + "." + m.name().get();
                    long off = k.layout().byteOffset(MemoryLayout.PathElement.groupElement(m.name().get()));
                    assertEquals(measured.get(key + "@off"), off, key + " offset");
                    assertEquals(measured.get(key + "@size"), m.byteSize(), key + " size");
                })));
    }

    @TestFactory
    Stream<DynamicTest> wholeStructsHaveTheCSize() {
        return CHECKED.stream().filter(Checked::wholeStruct).map(k -> DynamicTest.dynamicTest(k.cType(),
                () -> assertEquals(measured.get(k.cType()), k.layout().byteSize(), "sizeof(" + k.cType() + ")")));
    }

    @Test
    void bpfAttrSizeIsTheUnionSize() {
        assertEquals(measured.get("union bpf_attr"), BpfLayouts.BPF_ATTR_SIZE);
        assertEquals(BpfLayouts.ATTR_MAP_CREATE.byteSize() <= BpfLayouts.BPF_ATTR_SIZE, true);
        assertEquals(BpfLayouts.ATTR_PROG_LOAD.byteSize() <= BpfLayouts.BPF_ATTR_SIZE, true);
    }
}

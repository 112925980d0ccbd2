package dev.nicoffload.offload.error;

import dev.nicoffload.offload.internal.Errors;
import dev.nicoffload.offload.testsupport.BpfC;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without capabilities the kernel answers EPERM and the library says which capability is missing:
 * runs {@link PermissionProbe} in a child JVM whose capability sets are emptied by setpriv(1).
 */
class PermissionDeniedTest {

    @Test
    void operationsWithoutCapabilitiesNameTheCapabilityNeeded() throws Exception {
        Path elf = Files.createTempFile("nicoffload-perm", ".o");
        Files.write(elf, BpfC.compile("xdp_pass", BpfC.XDP_PASS));
        try {
            List<String> cp = new ArrayList<>();
            cp.add(Path.of(PermissionProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            String modulePath = System.getProperty("jdk.module.path", "");
            String classPath = System.getProperty("java.class.path", "");
            for (String e : (modulePath + File.pathSeparator + classPath).split(File.pathSeparator)) {
                if (!e.isBlank()) {
                    cp.add(e);
                }
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder("setpriv", "--bounding-set=-all", "--inh-caps=-all", java,
                    "--enable-native-access=ALL-UNNAMED", "-cp", String.join(File.pathSeparator, cp),
                    PermissionProbe.class.getName(), elf.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("list: EPERM needs " + Errors.CAP_SYS_ADMIN), out);
            assertTrue(out.contains("load: EPERM needs " + Errors.CAP_LOAD), out);
        } finally {
            Files.delete(elf);
        }
    }
}

package dev.nicoffload.it.privileges;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without CAP_SYS_ADMIN, CAP_BPF and CAP_NET_ADMIN (every capability dropped by setpriv(1) in a
 * child JVM, still uid 0), each operation on an offloaded program or map fails with a
 * PermissionDeniedException naming what is missing; the root JVM set the objects up. Opening a pin
 * is the exception: the kernel checks only the bpffs file's permissions, and uid 0 owns the pins;
 * what is then done with the fd (attaching) is refused again.
 */
@ExtendWith(NetdevsimCleanup.class)
class PrivilegeDropTest {

    private static final String LOAD = "PermissionDeniedException EPERM needs CAP_BPF and CAP_NET_ADMIN, or CAP_SYS_ADMIN";
    private static final String BPF_ADMIN = "PermissionDeniedException EPERM needs CAP_SYS_ADMIN";
    private static final String NET_ADMIN = "PermissionDeniedException EPERM needs CAP_NET_ADMIN";

    @Test
    void everyOperationWithoutCapabilitiesIsAPermissionErrorNamingTheCapability() throws Exception {
        Path progPin = Path.of("/sys/fs/bpf/nicoffload-priv-prog");
        Path mapPin = Path.of("/sys/fs/bpf/nicoffload-priv-map");
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth));
                 XdpAttachment hw = obj.program("xdp_maps_ret0").attachXdp(eth, XdpMode.HW)) {
                obj.program("xdp_maps_ret0").pin(progPin);
                obj.map("htab").pin(mapPin);
                Map<String, String> results = runUnprivileged(eth.name(), progPin.toString(), mapPin.toString(),
                        Integer.toString(obj.program("xdp_maps_ret0").id()));
                assertEquals(Map.of(
                        "load", LOAD,
                        "load-with-offloaded-maps", BPF_ADMIN,
                        "open-pinned-program", "allowed",
                        "attach-pinned-program", NET_ADMIN,
                        "open-pinned-map", "allowed",
                        "open-program-by-id", BPF_ADMIN,
                        "list-programs", BPF_ADMIN,
                        "list-maps", BPF_ADMIN,
                        "detach-xdp", NET_ADMIN), results);
                assertTrue(hw.isAttached(), "the refused detach left the program attached");
                assertEquals(obj.program("xdp_maps_ret0").id(), dev.port(0).offloadedProgramId());
            } finally {
                Files.deleteIfExists(progPin);
                Files.deleteIfExists(mapPin);
            }
        }
    }

    private static Map<String, String> runUnprivileged(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new java.util.ArrayList<>(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", java,
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), PrivilegeProbe.class.getName()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "probe JVM hung");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.contains(": ")).collect(Collectors.toMap(
                l -> l.substring(0, l.indexOf(": ")), l -> l.substring(l.indexOf(": ") + 2), (x, y) -> x + " | " + y));
    }
}

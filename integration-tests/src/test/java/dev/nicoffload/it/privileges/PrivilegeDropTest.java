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
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without CAP_SYS_ADMIN, CAP_BPF and CAP_NET_ADMIN, each operation on an offloaded program or map
 * fails with a PermissionDeniedException naming what is missing; the root JVM set the objects up
 * (pins owned by root, mode 0600). Two child JVMs under setpriv(1): uid 0 with every capability
 * dropped, and uid/gid 65534 (nobody) without capabilities or groups. Opening a pin is where they
 * differ: the kernel checks only the bpffs file's permissions, which let uid 0 in and refuse 65534
 * (EACCES); for uid 0, what is then done with the fd (attaching) is refused again.
 */
@ExtendWith(NetdevsimCleanup.class)
class PrivilegeDropTest {

    private static final String LOAD = "PermissionDeniedException EPERM needs CAP_BPF and CAP_NET_ADMIN, or CAP_SYS_ADMIN";
    private static final String BPF_ADMIN = "PermissionDeniedException EPERM needs CAP_SYS_ADMIN";
    private static final String NET_ADMIN = "PermissionDeniedException EPERM needs CAP_NET_ADMIN";
    private static final String PIN_MODE = "PermissionDeniedException EACCES needs read and write permission on the pin file, or CAP_DAC_OVERRIDE";
    private static final List<String> NO_CAPABILITIES = List.of("--bounding-set=-all", "--inh-caps=-all");

    @TempDir
    Path tmp;

    @Test
    void everyOperationWithoutCapabilitiesIsAPermissionErrorNamingTheCapability() throws Exception {
        probeAgainstOffloadedObjects(NO_CAPABILITIES, Map.of(
                "load", LOAD,
                "load-with-offloaded-maps", BPF_ADMIN,
                "open-pinned-program", "allowed",
                "attach-pinned-program", NET_ADMIN,
                "open-pinned-map", "allowed",
                "open-program-by-id", BPF_ADMIN,
                "list-programs", BPF_ADMIN,
                "list-maps", BPF_ADMIN,
                "detach-xdp", NET_ADMIN));
    }

    @Test
    void asAnUnprivilegedUserEveryOperationIsAPermissionErrorAndRootsPinsAreClosed() throws Exception {
        List<String> setpriv = new ArrayList<>(List.of("--reuid=65534", "--regid=65534", "--clear-groups"));
        setpriv.addAll(NO_CAPABILITIES);
        probeAgainstOffloadedObjects(setpriv, Map.of(
                "load", LOAD,
                "load-with-offloaded-maps", BPF_ADMIN,
                "open-pinned-program", PIN_MODE,
                "attach-pinned-program", PIN_MODE,
                "open-pinned-map", PIN_MODE,
                "open-program-by-id", BPF_ADMIN,
                "list-programs", BPF_ADMIN,
                "list-maps", BPF_ADMIN,
                "detach-xdp", NET_ADMIN));
    }

    /** Loads, attaches (HW) and pins as root, runs the probe under setpriv, checks its results and that nothing changed. */
    private void probeAgainstOffloadedObjects(List<String> setpriv, Map<String, String> expected) throws Exception {
        Path progPin = Path.of("/sys/fs/bpf/nicoffload-priv-prog");
        Path mapPin = Path.of("/sys/fs/bpf/nicoffload-priv-map");
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth));
                 XdpAttachment hw = obj.program("xdp_maps_ret0").attachXdp(eth, XdpMode.HW)) {
                obj.program("xdp_maps_ret0").pin(progPin);
                obj.map("htab").pin(mapPin);
                Map<String, String> results = runProbe(setpriv, eth.name(), progPin.toString(), mapPin.toString(),
                        Integer.toString(obj.program("xdp_maps_ret0").id()));
                assertEquals(expected, results);
                assertTrue(hw.isAttached(), "the refused detach left the program attached");
                assertEquals(obj.program("xdp_maps_ret0").id(), dev.port(0).offloadedProgramId());
            } finally {
                Files.deleteIfExists(progPin);
                Files.deleteIfExists(mapPin);
            }
        }
    }

    private Map<String, String> runProbe(List<String> setpriv, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>(List.of("setpriv"));
        argv.addAll(setpriv);
        argv.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", worldReadableClassPath(tmp), PrivilegeProbe.class.getName()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "probe JVM hung");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.contains(": ")).collect(Collectors.toMap(
                l -> l.substring(0, l.indexOf(": ")), l -> l.substring(l.indexOf(": ") + 2), (x, y) -> x + " | " + y));
    }

    /**
     * This JVM's class path, copied into a world-readable directory. Maven's jars lie under /root/.m2
     * (/root is mode 0700; the guest sees the host's files over 9p with their owners and modes), which
     * uid 65534 cannot read; the JDK under /usr/lib/jvm it can. The copy is on the guest's tmpfs, so the
     * host checkout is untouched. Done for the uid 0 run as well, so that both probes run the same classes.
     */
    static String worldReadableClassPath(Path tmp) throws IOException {
        Path root = tmp.resolve("classpath");
        List<String> copied = new ArrayList<>();
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        for (int i = 0; i < entries.length; i++) {
            Path from = Path.of(entries[i]);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = root.resolve(i + "-" + from.getFileName());
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path f : walk.toList()) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(f, target);
                    }
                }
            }
            copied.add(to.toString());
        }
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path f : walk.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, copied);
    }
}

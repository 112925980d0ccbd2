package dev.nicoffload.it.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The separate project {@code samples/consumer} (its own pom.xml, depending on
 * {@code nicoffload-api} only), built offline on the host against the local repository before the
 * guest booted (by the host test {@code dev.nicoffload.consumer.ConsumerProjectBuildTest}), run here as a
 * user would run it: its jar and the class path Maven resolved for it, with this guest JVM's
 * {@code java}, in a child process.
 */
@ExtendWith(NetdevsimCleanup.class)
class ConsumerAppTest {
    private static final String VERSION = "0.1.0-SNAPSHOT";
    /** What the app and nicoffload-api need at run time: nicoffload's modules and their own dependency. */
    private static final List<String> RUNTIME_MODULES = List.of("api", "offload", "maps", "jit-inspect", "ffm-bindings");

    /** Status and output of one run of the app. */
    private record Run(int status, String out, String err) {
    }

    private static Path projectRoot() throws Exception {
        Path testClasses = Path.of(ConsumerAppTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return testClasses.getParent().getParent().getParent();
    }

    private static Path consumerTarget() throws Exception {
        Path target = projectRoot().resolve("samples/consumer/target");
        assertTrue(Files.isRegularFile(target.resolve("offload-consumer-1.0.jar")) && Files.isRegularFile(target.resolve("classpath")),
                "samples/consumer was not built before the guest booted (by the host test dev.nicoffload.consumer.ConsumerProjectBuildTest): " + target);
        return target;
    }

    /** The run-time class path maven-dependency-plugin resolved for the consumer (target/classpath). */
    private static List<Path> resolvedClassPath() throws Exception {
        List<Path> entries = new ArrayList<>();
        for (String e : Files.readString(consumerTarget().resolve("classpath")).strip().split(File.pathSeparator)) {
            entries.add(Path.of(e));
        }
        return entries;
    }

    private static Run runApp(String... args) throws Exception {
        Path target = consumerTarget();
        Path crashes = Files.createTempDirectory("consumer-hs_err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ErrorFile=" + crashes.resolve("hs_err_%p.log"), "--enable-native-access=ALL-UNNAMED", "-cp",
                target.resolve("offload-consumer-1.0.jar") + File.pathSeparator + Files.readString(target.resolve("classpath")).strip(),
                "com.example.offload.CounterApp"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("consumer", ".out");
        Path err = Files.createTempFile("consumer", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("CounterApp did not end within 3 minutes: " + cmd);
        }
        Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err) + crashReports(crashes));
        Files.delete(out);
        Files.delete(err);
        Files.delete(crashes);
        System.out.print("--- CounterApp " + String.join(" ", args) + " exited " + run.status() + ":\n" + run.out() + run.err());
        return run;
    }

    /** The head of every JVM crash report the run left (registers, code around the faulting pc), deleting them. */
    private static String crashReports(Path dir) throws Exception {
        StringBuilder s = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                s.append("--- ").append(f.getFileName()).append(" (first 120 lines):\n");
                new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).lines().limit(120).forEach(l -> s.append(l).append('\n'));
                Files.delete(f);
            }
        }
        return s.toString();
    }

    @Test
    void theAppOffloadsTheCounterToAFreshNetdevsimPortReadsItAndCleansUp() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            Run run = runApp(port.name());
            assertEquals(0, run.status(), run.err());
            Matcher line = Pattern.compile("xdp_counter: program id \\d+ bound to ifindex (\\d+), attached to " + Pattern.quote(port.name())
                    + " in HW mode; map packets on ifindex (\\d+); packets\\[0] = 0\n").matcher(run.out());
            assertTrue(line.matches(), "one result line: " + run.out());
            assertEquals(port.ifindex(), Integer.parseInt(line.group(1)), "the kernel bound the program to the port");
            assertEquals(port.ifindex(), Integer.parseInt(line.group(2)), "the map lives on the port's device");
            assertEquals("", run.err());
            assertEquals(0, port.offloadedProgramId(), "detached when the app ended");
            assertEquals(List.of(), dev.boundPrograms(), "unloaded when the app ended");
        }
    }

    @Test
    void anUnknownNetdevEndsWithStatus1AndTheKernelsReason() throws Exception {
        Run run = runApp("nosuch0");
        assertEquals(1, run.status(), run.out() + run.err());
        assertEquals("", run.out());
        assertTrue(run.err().contains("'nosuch0'") && run.err().contains("ENODEV"), run.err());
    }

    @Test
    void theAppWasBuiltAgainstThisBuildsPublishedArtifactsAndNothingElse() throws Exception {
        List<Path> classPath = resolvedClassPath();
        List<String> names = classPath.stream().map(p -> p.getFileName().toString()).toList();
        for (String module : RUNTIME_MODULES) {
            assertTrue(names.contains("nicoffload-" + module + "-" + VERSION + ".jar"), "nicoffload-" + module + " on " + names);
        }
        for (Path entry : classPath) {
            assertTrue(Files.isRegularFile(entry), "class path entry visible in the guest: " + entry);
            String name = entry.getFileName().toString();
            assertTrue(!name.contains("nicoffload-testing") && !name.contains("junit") && !name.contains("nicoffload-cli"),
                    "the consumer depends on nicoffload-api only, yet its class path holds " + name);
        }

        Path installedApi = classPath.stream().filter(p -> p.getFileName().toString().equals("nicoffload-api-" + VERSION + ".jar"))
                .findFirst().orElseThrow();
        Path builtApi = projectRoot().resolve("api/target/nicoffload-api-" + VERSION + ".jar");
        assertEquals(-1, Files.mismatch(installedApi, builtApi),
                "the local repository does not hold this build's nicoffload-api: run ./mvnw install (scripts/test.sh does)");
        for (Path jar : classPath.stream().filter(p -> p.getFileName().toString().startsWith("nicoffload-")).toList()) {
            for (String classifier : List.of("sources", "javadoc")) {
                Path attached = jar.resolveSibling(jar.getFileName().toString().replace(".jar", "-" + classifier + ".jar"));
                assertTrue(Files.isRegularFile(attached) && Files.size(attached) > 0, "published with a " + classifier + " jar: " + attached);
            }
        }
    }
}

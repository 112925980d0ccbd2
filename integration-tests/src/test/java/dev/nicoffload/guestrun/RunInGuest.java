package dev.nicoffload.guestrun;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nicoffload.testing.junit.GuestTestResult;
import dev.nicoffload.testing.junit.GuestTestRun;
import dev.nicoffload.testing.vm.KernelImage;
import dev.nicoffload.testing.vm.VmOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Host-side driver: boots the test kernel once, runs every test class of package
 * {@code dev.nicoffload.it} inside it in one JVM, and reports each guest test here as a JUnit
 * result of its own (same class and test names), so Maven's output and reports show them and any
 * guest failure fails the build.
 */
class RunInGuest {
    private static final String GUEST_PACKAGE = "dev.nicoffload.it";
    /** Comma-separated packages to run instead of all of {@link #GUEST_PACKAGE} (for a quicker partial run). */
    private static final String PACKAGES_PROPERTY = "nicoffload.guest.packages";

    @TestFactory
    @DisplayName("in-guest")
    Stream<DynamicNode> inGuest() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path runDir = target.resolve("guest-run");
        deleteTree(runDir);
        List<Path> classPath = testClassPath();
        Path projectRoot = target.getParent().getParent();
        VmOptions options = VmOptions.defaults().withRunDirectory(runDir).withShare(projectRoot)
                .withTimeout(Duration.ofMinutes(Long.getLong("nicoffload.vm.timeout.minutes", 25)));
        options = KernelImage.sharedDirectory().map(options::withShare).orElse(options);
        for (Path entry : classPath) {
            if (!entry.startsWith(projectRoot) && entry.startsWith("/tmp")) {
                options = options.withShare(entry.getParent());
            }
        }
        List<String> packages = List.of(System.getProperty(PACKAGES_PROPERTY, GUEST_PACKAGE).split(","));
        System.out.println("[guest] booting " + KernelImage.locate() + " to run " + packages + " in one JVM");
        GuestTestRun run = GuestTestRun.execute(classPath, packages,
                guestJvmOptions(),
                options);
        copyReports(runDir.resolve("reports"), target.resolve("guest-reports"));
        System.out.printf("[guest] exit status %d; boot to command %.1f s; first test at guest uptime %s; in-guest part %.1f s;"
                        + " %d passed, %d failed, %d errors, %d skipped%n",
                run.vm().exitStatus(), run.vm().bootTime().toMillis() / 1000.0,
                run.firstTestUptime().map(d -> String.format("%.1f s", d.toMillis() / 1000.0)).orElse("n/a"),
                run.vm().commandTime().toMillis() / 1000.0,
                run.count(GuestTestResult.Outcome.PASSED), run.count(GuestTestResult.Outcome.FAILED),
                run.count(GuestTestResult.Outcome.ERROR), run.count(GuestTestResult.Outcome.SKIPPED));

        Map<String, List<GuestTestResult>> byClass = new LinkedHashMap<>();
        for (GuestTestResult r : run.results()) {
            byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
        }
        List<DynamicNode> nodes = new ArrayList<>();
        byClass.forEach((cls, tests) -> nodes.add(DynamicContainer.dynamicContainer(cls,
                tests.stream().map(t -> DynamicTest.dynamicTest(t.testName(), () -> replay(t))))));
        boolean anyFailed = run.results().stream().anyMatch(r -> r.outcome() == GuestTestResult.Outcome.FAILED || r.outcome() == GuestTestResult.Outcome.ERROR);
        if (run.results().isEmpty() || (run.vm().exitStatus() != 0 && !anyFailed)) {
            nodes.add(DynamicTest.dynamicTest("guest run", () -> fail("the guest JUnit run ended with status "
                    + run.vm().exitStatus() + " and reported " + run.results().size() + " tests; console log: " + run.vm().consoleLog())));
        }
        return nodes.stream();
    }

    /**
     * JVM options of the guest JVM; every -Dnicoffload.* property of this run is passed on (e.g. leak-test sizes).
     * C1 only, and only for 10x hotter code: under single-threaded TCG the compiler threads take turns with the
     * tests on one host thread (C1 time of the jit package's run 20.4 s, 9.2 s with the scaling; see
     * docs/testing-without-a-nic.md, "Where the guest's time goes").
     */
    private static List<String> guestJvmOptions() {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-Dnicoffload.shared=" + KernelImage.sharedDirectory().map(Path::toString).orElse("")));
        String extra = System.getProperty("nicoffload.vm.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+"))); // e.g. JIT settings to measure (scripts/measure-guest.sh)
        }
        if (Boolean.getBoolean("nicoffload.vm.jvmLog")) {
            // for scripts/measure-guest.sh: the uptime of every class load (the main class's is "JVM to main") and JIT time
            options.addAll(List.of("-Xlog:class+load=info:file=${NICOFFLOAD_RUN_DIR}/class-load.log:uptime", "-XX:+CITime"));
        }
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("nicoffload.") && !k.equals("nicoffload.shared") && !k.startsWith("nicoffload.vm.")
                        && !k.equals(PACKAGES_PROPERTY))
                .forEach(k -> options.add("-D" + k + "=" + System.getProperty(k)));
        return options;
    }

    private static void replay(GuestTestResult t) {
        switch (t.outcome()) {
            case PASSED -> { }
            case SKIPPED -> Assumptions.abort("skipped in the guest: " + t.message());
            case FAILED, ERROR -> fail("[in guest] " + t.message() + "\n" + t.detail());
        }
    }

    /** The class path of this test run, as Surefire gives it to the forked JVM. */
    private static List<Path> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> entries = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isBlank() && !e.contains("surefire")) {
                entries.add(Path.of(e).toAbsolutePath());
            }
        }
        return entries;
    }

    private static void copyReports(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

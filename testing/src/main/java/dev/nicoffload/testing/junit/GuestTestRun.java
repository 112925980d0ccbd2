package dev.nicoffload.testing.junit;

import dev.nicoffload.testing.vm.NetdevsimVm;
import dev.nicoffload.testing.vm.VmOptions;
import dev.nicoffload.testing.vm.VmResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Runs JUnit Platform tests inside one boot of the test guest, in one JVM (the JUnit Console
 * Launcher on the given class path, its JAR files first and started from an AOT cache recorded on
 * the host: {@link GuestAotCache}), and reads back each test's result from the launcher's XML report. Host-side test drivers turn the results into ordinary JUnit results.
 *
 * @param vm          the VM run (exit status, boot and command times)
 * @param results     every test the guest ran, in report order
 * @param firstTestUptime guest uptime when the first test started, when the guest reported it
 */
public record GuestTestRun(VmResult vm, List<GuestTestResult> results, Optional<Duration> firstTestUptime) {
    /** File in the run directory where the guest notes its uptime when the first test starts. */
    public static final String FIRST_TEST_FILE = "first-test-uptime";
    /** File in the run directory where the guest JVM logs whether it uses its AOT cache ({@link GuestAotCache}). */
    public static final String AOT_LOG_FILE = "guest-jvm-aot.log";
    private static final String CONSOLE_LAUNCHER = "org.junit.platform.console.ConsoleLauncher";

    /**
     * Boots the guest and runs the tests in {@code packages} found on {@code classPath}.
     *
     * @param classPath  the test class path (every entry must be visible in the guest: under the
     *                   host root or a share of {@code options})
     * @param packages   packages to select (with their sub-packages)
     * @param jvmOptions extra JVM options for the guest JVM
     * @param options    VM options; the run directory receives the XML reports under {@code reports/}
     */
    public static GuestTestRun execute(List<Path> classPath, List<String> packages, List<String> jvmOptions, VmOptions options) {
        if (packages.isEmpty()) {
            throw new IllegalArgumentException("no test package selected");
        }
        List<String> cp = GuestAotCache.jarsFirst(classPath.stream().map(Path::toString).toList());
        List<String> training = new ArrayList<>(List.of("discover", "--disable-banner"));
        packages.forEach(p -> training.add("--select-package=" + p));
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.addAll(GuestAotCache.options(jvmOptions, cp, CONSOLE_LAUNCHER, training));
        argv.add("-Xlog:aot=info,cds=info:file=${NICOFFLOAD_RUN_DIR}/" + AOT_LOG_FILE + ":uptime");
        argv.add("-cp");
        argv.add(String.join(":", cp));
        argv.add(CONSOLE_LAUNCHER);
        argv.add("execute");
        argv.add("--disable-banner");
        argv.add("--disable-ansi-colors");
        argv.add("--details=tree");
        argv.add("--details-theme=ascii");
        argv.add("--fail-if-no-tests");
        argv.add("--reports-dir=${NICOFFLOAD_RUN_DIR}/reports");
        for (String p : packages) {
            argv.add("--select-package=" + p);
        }
        // argv is passed through a shell so that the report directory expands in the guest
        StringBuilder script = new StringBuilder("exec");
        for (String a : argv) {
            script.append(' ').append(a.contains("${NICOFFLOAD_RUN_DIR}") ? "\"" + a + "\"" : "'" + a.replace("'", "'\\''") + "'");
        }
        VmResult vm = NetdevsimVm.runScript(script.append('\n').toString(), Path.of("/"), options);
        Path runDir = vm.runDirectory();
        return new GuestTestRun(vm, readReports(runDir.resolve("reports")), readUptime(runDir.resolve(FIRST_TEST_FILE)));
    }

    /** Total number of tests reported. */
    public long count(GuestTestResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    private static Optional<Duration> readUptime(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            double seconds = Double.parseDouble(Files.readString(file).strip());
            return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Parses the legacy (Ant/Surefire-style) XML reports the Console Launcher writes. */
    static List<GuestTestResult> readReports(Path dir) {
        List<GuestTestResult> results = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return results;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                results.addAll(parse(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return results;
    }

    private static List<GuestTestResult> parse(Path report) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(report.toFile());
            NodeList cases = doc.getElementsByTagName("testcase");
            List<GuestTestResult> results = new ArrayList<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                GuestTestResult.Outcome outcome = GuestTestResult.Outcome.PASSED;
                String message = "";
                String detail = "";
                for (Node n = c.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (!(n instanceof Element e)) {
                        continue;
                    }
                    GuestTestResult.Outcome o = switch (e.getTagName()) {
                        case "failure" -> GuestTestResult.Outcome.FAILED;
                        case "error" -> GuestTestResult.Outcome.ERROR;
                        case "skipped" -> GuestTestResult.Outcome.SKIPPED;
                        default -> null;
                    };
                    if (o != null) {
                        outcome = o;
                        message = e.getAttribute("message");
                        detail = e.getTextContent().strip();
                    }
                }
                double seconds = c.getAttribute("time").isEmpty() ? 0 : Double.parseDouble(c.getAttribute("time").replace(",", ""));
                results.add(new GuestTestResult(c.getAttribute("classname"), c.getAttribute("name"), outcome, message, detail,
                        Duration.ofMillis(Math.round(seconds * 1000))));
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the guest's JUnit report " + report + ": " + e.getMessage(), e);
        }
    }
}

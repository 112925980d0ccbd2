package dev.nicoffload.it.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.CheckTool;
import dev.nicoffload.offload.precheck.Finding;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.precheck.NfpPreChecker;
import dev.nicoffload.offload.precheck.Rule;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The checker against the kernel with bpftool-style loading: the shared tree's libbpf loader
 * ({@code nfpsim-load}, built by the offload module's test build) binds every map but perf event
 * arrays to nfpsim0 (global data maps too, with the flags libbpf gives them) and the program, as
 * {@code bpftool prog load ... dev nfpsim0} does. For each corpus object (default and {@code -mcpu=v3})
 * it compares the verdict, the errno, the {@code [nfp]} lines, the map the kernel failed to create
 * first with the checker's first finding, the dmesg line or core verifier line the checker quotes,
 * and the checker's processed instructions with the kernel's "processed N insns" (the checker must
 * stay within {@value #MAX_RATIO} times the kernel's count). The objects libbpf refuses at open
 * ({@code open/}) must fail to open and make {@code check} exit 1.
 */
class BoundLoaderOracleTest {
    private static final int MAX_RATIO = 4;
    private static final Pattern RESULT = Pattern.compile("LOAD: result (-?\\d+)");
    private static final Pattern PROCESSED = Pattern.compile("processed (\\d+) insns");
    private static final Pattern FAILED_MAP = Pattern.compile("map '([^']+)': failed to create");
    private static final Pattern QUOTED = Pattern.compile("(?:dmesg says|refuses the program with) \"([^\"]+)\"");
    private static Path corpus, loader;
    private static final List<String> table = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/class/net/nfpsim0")), "needs the nfpsim kernel (nfpsim0)");
        Path start;
        try {
            start = Path.of(BoundLoaderOracleTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path dir = start; dir != null && corpus == null; dir = dir.getParent()) {
            Path c = dir.resolve("offload/target/bpf-corpus");
            if (Files.isDirectory(c)) corpus = c;
        }
        Assumptions.assumeTrue(corpus != null, "the offload module's test build has not compiled the corpus");
        loader = corpus.resolve("nfpsim-load");
        Assumptions.assumeTrue(Files.isExecutable(loader), "the test build has not built nfpsim-load (needs gcc and libbpf-dev)");
    }

    @AfterAll
    static void printTable() {
        System.out.println("object | kernel | checker | kernel processed | checker processed");
        table.forEach(System.out::println);
    }

    /** What the kernel did with one bpftool-style load. */
    record Kernel(int errno, List<String> nfpLines, String log, int processed, String failedMap, String dmesg, String output) {
    }

    private static List<String> dmesg() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "dmesg ended");
        return Arrays.asList(new String(out, StandardCharsets.UTF_8).split("\n"));
    }

    private static Kernel load(Path object, String type) throws IOException, InterruptedException {
        int before = dmesg().size();
        ProcessBuilder pb = new ProcessBuilder(loader.toString(), "nfpsim0", object.toString(), type).redirectErrorStream(true);
        pb.environment().put("NFPSIM_LOG_LEVEL", "4"); // errors and the statistics line, no per-instruction trace
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nfpsim-load ended");
        String text = new String(out, StandardCharsets.UTF_8);
        List<String> after = dmesg();
        String newDmesg = String.join("\n", after.subList(Math.min(before, after.size()), after.size()));
        Matcher r = RESULT.matcher(text);
        int errno = r.find() ? -Integer.parseInt(r.group(1)) : -1;
        String log = "";
        int a = text.indexOf("---- verifier log ----"), b = text.indexOf("---- end of log ----");
        if (a >= 0 && b > a) log = text.substring(a, b);
        List<String> nfp = Arrays.stream(log.split("\n")).filter(l -> l.startsWith("[nfp] ") && !l.startsWith("[nfp] warning:")).toList();
        Matcher pr = PROCESSED.matcher(log);
        int processed = pr.find() ? Integer.parseInt(pr.group(1)) : -1;
        Matcher fm = FAILED_MAP.matcher(text);
        return new Kernel(errno, nfp, log, processed, fm.find() ? fm.group(1) : null, newDmesg, text);
    }

    private static List<Path> objects(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".o") && !f.getFileName().toString().equals("legacy_maps.o")).sorted().toList();
        }
    }

    private static void compare(Path object) throws IOException, InterruptedException {
        ObjectSpec spec = ObjectSpec.read(object);
        ProgramSpec p = spec.programs().getFirst();
        CheckReport r = new NfpPreChecker(FirmwareCapabilities.nfpsim()).check(spec, p);
        String name = corpus.relativize(object).toString();
        Kernel k = load(object, p.type() == ProgramType.XDP ? "xdp" : "tc");
        String what = name + " " + r.findings() + "\n--- kernel:\n" + k.output() + "\n--- dmesg:\n" + k.dmesg();
        List<Finding> loadErrors = r.errors().stream().filter(f -> f.source() != Finding.Source.EXTACK).toList();
        boolean loaded = k.errno() == 0;
        table.add(name + " | " + (loaded ? "loaded" : "E" + k.errno()) + " | " + (loadErrors.isEmpty() ? "offloadable"
                : loadErrors.getFirst().errno()) + " | " + k.processed() + " | " + r.processed());
        assertEquals(loaded, loadErrors.isEmpty(), what + ": verdict");
        List<String> mine = r.findings().stream().filter(f -> f.source() == Finding.Source.VERIFIER_LOG && f.isError()).map(Finding::render).toList();
        assertEquals(k.nfpLines(), mine, what + ": [nfp] lines");
        if (!loaded) {
            Finding first = loadErrors.getFirst();
            assertEquals(first.errno().value(), k.errno(), what + ": errno");
            if (first.rule() == Rule.MAP) {
                // libbpf names internal maps "<object prefix>.bss": compare the map part after the prefix
                String mine0 = first.message().substring("map '".length(), first.message().indexOf('\'', "map '".length()));
                assertTrue(k.failedMap() != null && (k.failedMap().equals(mine0) || mine0.startsWith(".") && k.failedMap().endsWith(mine0)),
                        what + ": the kernel failed on map " + k.failedMap() + " first");
            }
            Matcher q = QUOTED.matcher(first.message());
            if (q.find() && (first.rule() != Rule.MAP || first.message().contains("dmesg says"))) {
                String quoted = q.group(1);
                String where = quoted.startsWith("NFP net bpf: ") ? k.dmesg() : k.log();
                assertTrue(where.contains(quoted), what + ": the kernel's line \"" + quoted + "\"");
            }
        }
        if (k.processed() > 0 && r.processed() > 0) {
            assertTrue(r.processed() <= MAX_RATIO * k.processed(), what + ": checker processed " + r.processed()
                    + " > " + MAX_RATIO + " x kernel " + k.processed());
        }
    }

    @TestFactory
    Stream<DynamicTest> boundLoadsMatchTheChecker() throws IOException {
        List<Path> all = new ArrayList<>(objects(corpus));
        all.addAll(objects(corpus.resolve("v3")));
        // the loader forces the program type: only XDP and tc objects mean what they say there
        all.removeIf(o -> {
            ProgramType t = ObjectSpec.read(o).programs().getFirst().type();
            return t != ProgramType.XDP && t != ProgramType.SCHED_CLS;
        });
        return all.stream().map(o -> DynamicTest.dynamicTest(corpus.relativize(o).toString(), () -> compare(o)));
    }

    @TestFactory
    Stream<DynamicTest> objectsLibbpfRefusesAtOpenAreFindings() throws IOException {
        return objects(corpus.resolve("open")).stream().map(o -> DynamicTest.dynamicTest(o.getFileName().toString(), () -> {
            Kernel k = load(o, "xdp");
            assertTrue(k.output().contains("open:") && !k.output().contains("LOAD: result"), o + ": libbpf refused to open it\n" + k.output());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = CheckTool.run(new String[]{"check", o.toString()}, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(1, rc, o + ": " + out);
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("open: libbpf cannot open the object: "), out.toString(StandardCharsets.UTF_8));
        }));
    }
}

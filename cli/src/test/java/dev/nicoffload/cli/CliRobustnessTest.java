package dev.nicoffload.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nicoffload.samples.bpf.SampleObjects;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every subcommand over a matrix of bad inputs (missing, directory, empty, truncated, x86 ELF,
 * garbage, huge, device and FIFO files; bad hex, bad ids, unknown devices, bad options), run
 * in-process through {@link Main#run} with standard streams captured, plus a few real processes.
 * A run fails the test when its output holds a stack frame ({@code "\tat "}, {@code "Exception in
 * thread"}), an internal error (a defect Main had to map), an unescaped control character, when
 * standard error stays empty, when the exit status is not 1 or 2, or when it does not end within
 * {@link #BOUND_SECONDS} (a hang bound, not a speed check). Kernel-facing commands run on the host
 * as far as bad input takes them: no case names an existing map, program or device to change.
 */
class CliRobustnessTest {
    /** A run that has not ended by then is hung (the slowest case takes a few seconds on a loaded machine). */
    static final long BOUND_SECONDS = 90;

    @TempDir
    static Path tmp;

    static Path missing, dir, empty, truncated, halfObject, x86, garbage, huge, fifo, validObject, bigImage;
    static final String DEV_ZERO = "/dev/zero";

    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cli-under-test");
        t.setDaemon(true);
        return t;
    });

    /** Result of one run. */
    record Outcome(List<String> args, int code, String out, String err) {}

    @BeforeAll
    static void inputs() throws Exception {
        missing = tmp.resolve("missing/nothing.o");
        dir = Files.createDirectories(tmp.resolve("a-directory.o"));
        empty = Files.write(tmp.resolve("empty.o"), new byte[0]);
        byte[] object = SampleObjects.XDP_MAPS_RET0.bytes();
        validObject = Files.write(tmp.resolve("xdp_maps_ret0.o"), object);
        truncated = Files.write(tmp.resolve("truncated.o"), Arrays.copyOf(object, 100));
        halfObject = Files.write(tmp.resolve("half.o"), Arrays.copyOf(object, object.length / 2));
        x86 = Files.write(tmp.resolve("x86.o"), Files.readAllBytes(Path.of("/bin/true")));
        Random random = new Random(16);
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        garbage = Files.write(tmp.resolve("garbage.o"), noise);
        huge = tmp.resolve("huge.o");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(65L << 20); // sparse: over the 64 MiB bound without using the disk
        }
        fifo = tmp.resolve("fifo.o");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        byte[] image = new byte[256 << 10];
        random.nextBytes(image);
        bigImage = Files.write(tmp.resolve("random-256k.bin"), image);
    }

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
    }

    /** Runs {@code nicoffload ARGS} in this JVM with {@code stdin}, standard output and error captured. */
    static Outcome run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin));
        Future<Integer> code = RUNNER.submit(() -> Main.run(args));
        try {
            return new Outcome(List.of(args), code.get(BOUND_SECONDS, TimeUnit.SECONDS),
                    out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            code.cancel(true);
            return fail("did not end within " + BOUND_SECONDS + " s: nicoffload " + String.join(" ", args));
        } catch (InterruptedException | ExecutionException e) {
            return fail("nicoffload " + String.join(" ", args) + " threw out of Main.run: " + e);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    /** The checks every bad-input run must pass; returns a description of what is wrong, or null. */
    static String problem(Outcome o) {
        String all = o.out() + o.err();
        if (all.contains("\tat ") || all.contains("Exception in thread")) {
            return "stack trace";
        }
        if (all.contains("internal error") || all.matches("(?s).*unexpected [a-z]+\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error).*")) {
            return "an internal error (an exception Main did not expect)";
        }
        if (o.code() != 1 && o.code() != 2) {
            return "exit status " + o.code();
        }
        // check reports an object libbpf would refuse at open as a finding on standard output (exit 1)
        boolean openFinding = !o.args().isEmpty() && o.args().get(0).equals("check") && o.code() == 1 && o.out().startsWith("open: libbpf cannot open the object: ");
        if (o.err().isBlank() && !openFinding) {
            return "nothing on standard error";
        }
        if (all.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0)) {
            return "a control character from the input";
        }
        return null;
    }

    private static String clip(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "...\n" : s;
    }

    private static String problemIgnoringStatus(Outcome o) {
        return problem(new Outcome(o.args(), 1, o.out(), o.err().isBlank() ? "-" : o.err()));
    }

    /** The matrix: every subcommand, each with the bad inputs that reach it. */
    static List<String[]> cases() {
        List<String[]> c = new ArrayList<>();
        List<String> files = List.of(missing.toString(), dir.toString(), empty.toString(), truncated.toString(), halfObject.toString(),
                x86.toString(), garbage.toString(), huge.toString(), DEV_ZERO, fifo.toString(), "bad\u001b[31mname\u0007.o");
        String pinDir = tmp.resolve("pins").toString();
        for (String f : files) {
            c.add(new String[] {"load", f, "--host", "--pin", pinDir});
            c.add(new String[] {"load", f, "--dev", "nosuchnic0", "--pin", pinDir});
            c.add(new String[] {"check", f});
            c.add(new String[] {"check", f, "--profile", "nfpsim"});
            c.add(new String[] {"check", "--adapt", f});
            c.add(new String[] {"adapt", f, "-o", tmp.resolve("adapted.o").toString()});
            c.add(new String[] {"nfp-disasm", f});
            c.add(new String[] {"nfp-disasm", "--raw", f});
            c.add(new String[] {"nfp-disasm", "--cfg", "-", "--raw", f});
            c.add(new String[] {"attach", "xdp", "--dev", "nosuchnic0", f});
            c.add(new String[] {"attach", "tc", "--dev", "nosuchnic0", f});
            c.add(new String[] {"attach", "xdp", "--dev", "lo", f}); // never a pin: refused before anything is attached
        }
        // object and option errors of load
        c.add(new String[] {"load", validObject.toString(), "--dev", "nosuchnic0", "--pin", pinDir});
        c.add(new String[] {"load", validObject.toString(), "--dev", "", "--pin", pinDir});
        c.add(new String[] {"load", validObject.toString(), "--dev", "a/very/long/interface/name0", "--pin", pinDir});
        c.add(new String[] {"load", validObject.toString(), "--dev", "\u001b]0;title\u0007", "--pin", pinDir});
        c.add(new String[] {"load", validObject.toString(), "--host", "--dev", "lo", "--pin", pinDir});
        c.add(new String[] {"load", validObject.toString(), "--host"});
        c.add(new String[] {"load", "--host", "--pin", pinDir});
        c.add(new String[] {"load", validObject.toString(), "--host", "--pin", "/proc/nicoffload-not-here"}); // unwritable pin place
        c.add(new String[] {"load", validObject.toString(), "--host", "--pin", pinDir, "--bogus"});
        // adapt's own arguments
        c.add(new String[] {"adapt"});
        c.add(new String[] {"adapt", validObject.toString()});
        c.add(new String[] {"adapt", validObject.toString(), "-o"});
        c.add(new String[] {"adapt", validObject.toString(), "-o", tmp.resolve("adapted.o").toString(), "--allow", "no-such-change"});
        c.add(new String[] {"adapt", validObject.toString(), "-o", tmp.resolve("adapted.o").toString(), "--program", "nope"});
        c.add(new String[] {"adapt", validObject.toString(), "-o", "/proc/nicoffload-not-here/out.o"});
        // check's own options
        c.add(new String[] {"check"});
        c.add(new String[] {"check", validObject.toString(), "--program", "nope"});
        c.add(new String[] {"check", validObject.toString(), "--program"});
        c.add(new String[] {"check", validObject.toString(), "--profile", missing.toString()});
        c.add(new String[] {"check", validObject.toString(), "--profile", dir.toString()});
        c.add(new String[] {"check", validObject.toString(), "--profile", "/dev"});
        c.add(new String[] {"check", validObject.toString(), "--mtu", "abc"});
        c.add(new String[] {"check", validObject.toString(), "--mtu", "-5"});
        c.add(new String[] {"check", validObject.toString(), validObject.toString()});
        // nfp-disasm usage and --cfg
        c.add(new String[] {"nfp-disasm"});
        c.add(new String[] {"nfp-disasm", "--bogus"});
        c.add(new String[] {"nfp-disasm", "--raw"});
        c.add(new String[] {"nfp-disasm", "--words", "--raw", garbage.toString()});
        c.add(new String[] {"nfp-disasm", "--pc", garbage.toString()});
        c.add(new String[] {"nfp-disasm", "--cfg"});
        c.add(new String[] {"nfp-disasm", "--cfg", "-", garbage.toString()});
        c.add(new String[] {"nfp-disasm", "--cfg", tmp.resolve("big.svg").toString(), "--raw", bigImage.toString()});
        c.add(new String[] {"nfp-disasm", "--cfg", missing.toString() + ".dot", "--raw", garbage.toString()});
        c.add(new String[] {"nfp-disasm", "--cfg", "-", "--raw", bigImage.toString() + "\u001b[2J"});
        // ids
        for (String id : List.of("abc", "-1", "0", "2147483647", "0x7fffffff", "99999999999", "1.5", "")) {
            c.add(new String[] {"prog", "show", id});
            c.add(new String[] {"prog", "show", id, "--jit"});
            c.add(new String[] {"map", "show", id});
            c.add(new String[] {"map", "dump", id});
            c.add(new String[] {"map", "lookup", id, "--key", "00 00 00 00"});
            c.add(new String[] {"map", "delete", id, "--key", "00000000"});
            c.add(new String[] {"map", "update", id, "--key", "00000000", "--value", "0x0000000000000000"});
        }
        // hex (parsed before any map is opened, so the id does not matter)
        for (String hex : List.of("zz", "010x000000", "0x", "1", "0x1", "00 0", "", " ", "0x0x00", "\u001b[31m", "00\u0000")) {
            c.add(new String[] {"map", "lookup", "2147483647", "--key", hex});
            c.add(new String[] {"map", "update", "2147483647", "--key", "00", "--value", hex});
        }
        c.add(new String[] {"map", "update", "2147483647", "--key", "00", "--value", "00", "--mode", "sometimes"});
        c.add(new String[] {"map", "dump", "2147483647", "--limit", "-5"});
        c.add(new String[] {"map", "dump", "2147483647", "--limit", "many"});
        c.add(new String[] {"map", "lookup", "2147483647"});
        c.add(new String[] {"map", "update", "2147483647", "--key", "00"});
        c.add(new String[] {"map"});
        c.add(new String[] {"map", "list", "extra"});
        c.add(new String[] {"prog"});
        c.add(new String[] {"prog", "list", "--bogus"});
        c.add(new String[] {"prog", "show"});
        // devices, attach and detach with unknown devices and bad options (no existing device is changed)
        c.add(new String[] {"devices", "--bogus"});
        c.add(new String[] {"devices", "extra"});
        for (String dev : List.of("nosuchnic0", "", "\u001b[1mbold", "x".repeat(40))) {
            c.add(new String[] {"attach", "xdp", "--dev", dev, validObject.toString()});
            c.add(new String[] {"attach", "tc", "--dev", dev, "--skip-sw", validObject.toString()});
            c.add(new String[] {"detach", "xdp", "--dev", dev});
            c.add(new String[] {"detach", "tc", "--dev", dev});
        }
        c.add(new String[] {"attach", "xdp", "--dev", "nosuchnic0", "--mode", "sideways", validObject.toString()});
        c.add(new String[] {"attach", "tc", "--dev", "nosuchnic0", "--skip-sw", "--skip-hw", validObject.toString()});
        c.add(new String[] {"attach", "xdp", "--dev", "nosuchnic0"});
        c.add(new String[] {"attach", "bogus", "--dev", "nosuchnic0", validObject.toString()});
        c.add(new String[] {"attach"});
        c.add(new String[] {"detach", "xdp", "--dev", "nosuchnic0", "--mode", "sideways"});
        c.add(new String[] {"detach", "xdp"});
        c.add(new String[] {"detach"});
        // vm and demo: argument errors only (a good command line would boot the test VM)
        c.add(new String[] {"vm"});
        c.add(new String[] {"vm", "--timeout", "abc", "--", "true"});
        c.add(new String[] {"vm", "--timeout", "0", "--", "true"});
        c.add(new String[] {"vm", "--memory", "1", "--", "true"});
        c.add(new String[] {"vm", "--bogus", "--", "true"});
        c.add(new String[] {"demo", "extra"});
        c.add(new String[] {"demo", "--bogus"});
        // the tool itself
        c.add(new String[] {});
        c.add(new String[] {"bogus"});
        c.add(new String[] {"--bogus"});
        c.add(new String[] {"\u001b[31mred"});
        return c;
    }

    /** Bad standard input for {@code nfp-disasm --words}: each must end in exit 1 with the input escaped. */
    static List<byte[]> badWords() {
        List<byte[]> w = new ArrayList<>();
        w.add("zz\n".getBytes(StandardCharsets.ISO_8859_1));
        w.add("010x00000000000000\n".getBytes(StandardCharsets.ISO_8859_1));
        w.add("000000f0000c030\n".getBytes(StandardCharsets.ISO_8859_1));
        w.add("\u001b]0;owned\u0007\u001b[2J000000f0000c0300\n".getBytes(StandardCharsets.ISO_8859_1));
        w.add("000000f0000c0300\n\u009b31m\n".getBytes(StandardCharsets.ISO_8859_1));
        w.add(new byte[1 << 20]); // a megabyte of NUL bytes without a newline, as /dev/zero gives
        byte[] noise = new byte[10_000];
        new Random(9).nextBytes(noise);
        w.add(noise);
        return w;
    }

    @Test
    void everySubcommandFailsCleanlyOnBadInput() {
        long start = System.nanoTime();
        List<String> problems = new ArrayList<>();
        int runs = 0;
        for (String[] args : cases()) {
            Outcome o = run(new byte[0], args);
            runs++;
            // a raw image is any bytes (objdump -b binary takes them too): garbage there may list, with # ERROR lines
            boolean rawListing = args.length > 1 && args[0].equals("nfp-disasm") && List.of(args).contains("--raw") && o.code() == 0;
            String p = rawListing ? problemIgnoringStatus(o) : problem(o);
            if (p != null) {
                problems.add(p + ": nicoffload " + String.join(" ", args) + " -> " + o.code() + "\n" + clip(o.err()) + clip(o.out()));
            }
        }
        for (String opts : List.of("--words", "--pc --words")) {
            for (byte[] stdin : badWords()) {
                Outcome o = run(stdin, ("nfp-disasm " + opts).split(" "));
                runs++;
                String p = problem(o);
                if (p == null && o.code() != 1) {
                    p = "exit " + o.code() + " (bad words are bad input: 1)";
                }
                if (p != null) {
                    problems.add(p + ": nicoffload nfp-disasm " + opts + " < " + stdin.length + " bytes -> " + o.code() + "\n" + o.err());
                }
            }
        }
        System.out.printf("[cli-robustness] %d bad-input runs in %.1f s%n", runs, (System.nanoTime() - start) / 1e9);
        assertTrue(problems.isEmpty(), problems.size() + " of " + runs + " runs failed:\n" + String.join("\n", problems));
    }

    @Test
    void fileErrorsSayWhatIsWrongWithTheFile() {
        assertMessage(2, "no such file", "load", missing.toString(), "--host", "--pin", tmp.toString());
        assertMessage(2, "is a directory", "load", dir.toString(), "--host", "--pin", tmp.toString());
        assertMessage(2, "not a regular file", "load", DEV_ZERO, "--host", "--pin", tmp.toString());
        assertMessage(2, "not a regular file", "load", fifo.toString(), "--host", "--pin", tmp.toString());
        assertMessage(2, "64 MiB", "load", huge.toString(), "--host", "--pin", tmp.toString());
        assertMessage(2, "not a BPF object", "load", x86.toString(), "--host", "--pin", tmp.toString());
        assertMessage(2, "not a regular file", "check", DEV_ZERO);
        assertMessage(2, "64 MiB", "check", huge.toString());
        assertMessage(1, "not a regular file", "nfp-disasm", "--raw", DEV_ZERO);
        assertMessage(1, "64 MiB", "nfp-disasm", huge.toString());
    }

    @Test
    void usageErrorsAreOneLineNamingTheCommand() {
        Outcome o = run(new byte[0], "map", "update", "1", "--key", "00");
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("map update: Missing required option: '--value"), o.err());
    }

    @Test
    void inputIsEchoedEscapedOnceThroughEveryLayer() {
        Outcome o = run(new byte[0], "map", "update", "2147483647", "--key", "00", "--value", "2a\u001b[2J");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("got '2a\\x1b[2J'"), o.err());
        Outcome f = run(new byte[0], "check", tmp.resolve("no\u0007such.o").toString());
        assertTrue(f.err().contains("no\\x07such.o: no such file"), f.err());
    }

    private static void assertMessage(int code, String text, String... args) {
        Outcome o = run(new byte[0], args);
        assertEquals(code, o.code(), String.join(" ", args) + ": " + o.err());
        assertTrue(o.err().contains(text), String.join(" ", args) + ": " + o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    /** A few runs as real processes (the launcher's JVM): exit status, no stack trace, bounded. */
    @Test
    void realProcessesFailCleanly() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("java.class.path");
        List<List<String>> runs = List.of(
                List.of("load", DEV_ZERO, "--host", "--pin", tmp.resolve("p").toString()),
                List.of("check", DEV_ZERO),
                List.of("load", missing.toString(), "--host", "--pin", tmp.resolve("p").toString()),
                List.of("map", "update", "2147483647", "--key", "010x000000", "--value", "00"),
                List.of("nfp-disasm", "--cfg", tmp.resolve("p.svg").toString(), "--raw", bigImage.toString()));
        for (List<String> args : runs) {
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, Main.class.getName()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            // the outputs are small; read them after the end (a hang shows as the bound passing)
            boolean ended = p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
                fail("did not end within " + BOUND_SECONDS + " s: " + args);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().filter(l -> !l.startsWith("WARNING: ")).reduce("", (a, b) -> a + b + "\n"); // JDK's native-access notes
            String problem = problem(new Outcome(args, p.exitValue(), out, err));
            assertEquals(null, problem, args + " -> " + p.exitValue() + "\n" + err + out);
        }
    }

    /** Kept for the report: how many cases the matrix has. */
    static int size() throws IOException {
        return cases().size();
    }
}

package dev.nicoffload.jit.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nfp-disasm --cfg}: bounded in graph size and in Graphviz's time. */
class CfgOutputTest {
    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLargeRandomImageIsRefusedAsSvgWithTheBlockBound(@TempDir Path tmp) throws Exception {
        // before: dot got the graph and ran for more than 500 s on a 256 KiB random image
        byte[] image = new byte[256 << 10];
        new Random(4).nextBytes(image);
        Path file = Files.write(tmp.resolve("random.bin"), image);
        Path svg = tmp.resolve("random.svg");
        NfpDisasmToolTest.Run r = NfpDisasmToolTest.run("", "--cfg", svg.toString(), "--raw", file.toString());
        assertEquals(1, r.rc(), r.err());
        assertTrue(r.err().matches("nfp-disasm: \\S+random.bin: the graph has \\d+ blocks, more than the 1000 rendered as SVG;"
                + " give --cfg OUT.dot \\(or -\\) for the DOT text\n"), r.err());
        assertFalse(Files.exists(svg), "dot was not run");
        // the DOT text is still there for whoever wants it
        NfpDisasmToolTest.Run dot = NfpDisasmToolTest.run("", "--cfg", "-", "--raw", file.toString());
        assertEquals(0, dot.rc(), dot.err());
        assertTrue(dot.out().startsWith("digraph nfp {"));
    }

    @Test
    void anImageLongerThanTheNfpAllowsIsNoJitImage(@TempDir Path tmp) throws Exception {
        Path file = Files.write(tmp.resolve("long.bin"), new byte[(CfgOutput.MAX_WORDS + 1) * 8]);
        NfpDisasmToolTest.Run r = NfpDisasmToolTest.run("", "--cfg", "-", "--raw", file.toString());
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("65536 instructions; a JIT image has at most 65535"), r.err());
    }

    @Test
    void aRendererThatFloodsItsErrorsAndNeverReadsIsStoppedAtTheLimit(@TempDir Path tmp) throws Exception {
        // a stand-in for dot that writes 1 MB of errors before reading anything, then hangs with a child:
        // before, the writer blocked on the full input pipe, the reader on the error pipe, and waitFor was never reached
        Path childPid = tmp.resolve("child.pid");
        List<String> command = List.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x >&2; sleep 600 & echo $! > "
                + childPid + "; wait");
        String bigDot = "x".repeat(4 << 20);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CfgOutput.render(command, bigDot, 3, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, rc);
        assertEquals("nfp-disasm: dot did not finish within 3 s and was stopped; give --cfg OUT.dot for the DOT text\n", text(err));
        long pid = Long.parseLong(Files.readString(childPid).strip());
        // killed with its parent, so it ends (a bound for a hang, not a speed check: it would sleep 600 s)
        ProcessHandle.of(pid).ifPresent(h -> {
            try {
                h.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("dot's child " + pid + " was left running", e);
            }
        });
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "dot's child was killed");
    }

    @Test
    void aFailingRendererIsReportedWithItsMessagesEscaped() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CfgOutput.render(List.of("sh", "-c", "cat > /dev/null; printf 'syntax error \\033[31m' >&2; exit 3"), "digraph {}", 60,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, rc);
        assertEquals("nfp-disasm: dot failed (exit 3): syntax error \\x1b[31m\n", text(err));
    }
}

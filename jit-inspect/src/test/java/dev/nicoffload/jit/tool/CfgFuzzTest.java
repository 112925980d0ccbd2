package dev.nicoffload.jit.tool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.jit.NfpFormatException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target for {@code nfp-disasm --cfg - --raw FILE} after the file is read (the bounded
 * reader has tests of its own, and a file per input would cost more than the graph): image,
 * control-flow graph and DOT as the command builds them. Declared failure: {@link NfpFormatException}
 * (not whole words, empty), which the command reports with exit 1; otherwise the result must be 0 or
 * 1, with a message free of control characters. Committed inputs run under plain JUnit;
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class CfgFuzzTest {
    private static final LongAdder RUNS = new LongAdder();

    @AfterAll
    static void aFuzzingRunFuzzed() {
        assertTrue(RUNS.sum() >= Long.getLong("nicoffload.fuzz.minRuns", 0), RUNS.sum() + " runs: Jazzer skipped the target or did not fuzz");
    }

    @FuzzTest(maxDuration = "30s")
    void cfg(byte[] bytes) {
        RUNS.increment();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            rc = CfgOutput.write("fuzz.bin", bytes, "-", new PrintStream(out, false, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (NfpFormatException expected) {
            return; // declared: not a whole number of 8-byte words, or empty
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(rc == 0 || rc == 1 && !message.isEmpty(), "exit " + rc + ": " + message);
        assertFalse(message.chars().anyMatch(c -> c < 0x20 && c != '\n'), message);
        if (rc == 0) {
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("digraph nfp {"));
        }
    }
}

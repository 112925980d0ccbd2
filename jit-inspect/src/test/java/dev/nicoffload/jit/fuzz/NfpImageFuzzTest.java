package dev.nicoffload.jit.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.elf.NfpElfFile;
import dev.nicoffload.jit.elf.ObjdumpListing;
import dev.nicoffload.jit.image.JitImage;
import org.junit.jupiter.api.AfterAll;

import dev.nicoffload.jit.tool.NfpDisasmTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the NFP parsers: a JIT image as the kernel's {@code jited_prog_insns} gives it
 * (parsed, listed, counted), an NFP ELF file (parsed and listed like objdump), and the
 * {@code nfp-disasm --cfg - --raw FILE} path (image, control-flow graph, DOT) as the command runs it.
 * The only declared failure is {@link NfpFormatException}; the command must exit 0 or 1 with a
 * message free of control characters and never report an internal error. Committed inputs run
 * under plain JUnit; {@code JAZZER_FUZZ=1} fuzzes.
 */
class NfpImageFuzzTest {

    /** Inputs run through a target in this JVM; a build's fuzzing run must reach {@code nicoffload.fuzz.minRuns} (pom.xml). */
    private static final LongAdder RUNS = new LongAdder();

    @AfterAll
    static void aFuzzingRunFuzzed() {
        assertTrue(RUNS.sum() >= Long.getLong("nicoffload.fuzz.minRuns", 0), RUNS.sum() + " runs: Jazzer skipped the target or did not fuzz");
    }

    @FuzzTest(maxDuration = "30s")
    void jitImage(byte[] bytes) {
        RUNS.increment();
        try {
            JitImage image = JitImage.of(bytes);
            image.listing();
            image.classCounts();
            image.relocationCounts();
            image.eccState();
            image.layout();
        } catch (NfpFormatException expected) {
            // declared: not a whole number of 8-byte words, or empty
        }
    }

    @FuzzTest(maxDuration = "30s")
    void nfpElf(byte[] bytes) throws IOException {
        RUNS.increment();
        try {
            NfpElfFile file = NfpElfFile.parse(bytes);
            ObjdumpListing.write(file, "fuzz", new StringBuilder());
        } catch (NfpFormatException expected) {
            // declared: not an NFP ELF file this reader understands
        }
    }

    /** The image file the --cfg target hands the command (one per JVM, rewritten per input). */
    private static Path cfgInput;

    @FuzzTest(maxDuration = "30s")
    void cfg(byte[] bytes) throws IOException {
        RUNS.increment();
        if (cfgInput == null) {
            cfgInput = Files.createTempFile("nfp-cfg-fuzz", ".bin");
            cfgInput.toFile().deleteOnExit();
        }
        Files.write(cfgInput, bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NfpDisasmTool.run(new String[] {"--cfg", "-", "--raw", cfgInput.toString()}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, false, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(rc == 0 || rc == 1 && !message.isEmpty(), "exit " + rc + ": " + message);
        assertFalse(message.contains("internal error"), message);
        assertFalse(message.chars().anyMatch(c -> c < 0x20 && c != '\n'), message);
        if (rc == 0) {
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("digraph nfp {"));
        }
    }
}

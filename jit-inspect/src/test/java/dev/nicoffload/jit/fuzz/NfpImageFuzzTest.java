package dev.nicoffload.jit.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.elf.NfpElfFile;
import dev.nicoffload.jit.elf.ObjdumpListing;
import dev.nicoffload.jit.image.JitImage;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the NFP parsers: a JIT image as the kernel's {@code jited_prog_insns} gives it
 * (parsed, listed, counted) and an NFP ELF file (parsed and listed like objdump). The only declared
 * failure is {@link NfpFormatException}. Committed inputs run under plain JUnit;
 * {@code JAZZER_FUZZ=1} fuzzes.
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
}

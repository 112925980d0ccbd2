package dev.nicoffload.jit.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.elf.NfpElfFile;
import dev.nicoffload.jit.elf.ObjdumpListing;
import dev.nicoffload.jit.image.JitImage;

import java.io.IOException;

/**
 * Fuzz targets for the NFP parsers: a JIT image as the kernel's {@code jited_prog_insns} gives it
 * (parsed, listed, counted) and an NFP ELF file (parsed and listed like objdump). The only declared
 * failure is {@link NfpFormatException}. Committed inputs run under plain JUnit;
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class NfpImageFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void jitImage(byte[] bytes) {
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
        try {
            NfpElfFile file = NfpElfFile.parse(bytes);
            ObjdumpListing.write(file, "fuzz", new StringBuilder());
        } catch (NfpFormatException expected) {
            // declared: not an NFP ELF file this reader understands
        }
    }
}

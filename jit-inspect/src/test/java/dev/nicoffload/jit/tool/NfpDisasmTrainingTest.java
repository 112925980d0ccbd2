package dev.nicoffload.jit.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT-cache training workload runs every mode of the command successfully and cleans up after itself. */
class NfpDisasmTrainingTest {

    @Test
    void runsAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        NfpDisasmTraining.run(dir.toFile()); // throws if any of its four runs of the command fails
        assertArrayEquals(new String[0], dir.toFile().list(), "files left in " + dir);
    }

    @Test
    void failsClearlyWhenItCannotWriteItsInput(@TempDir Path dir) {
        File missing = dir.resolve("no-such-dir").toFile();
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> NfpDisasmTraining.run(missing));
    }
}

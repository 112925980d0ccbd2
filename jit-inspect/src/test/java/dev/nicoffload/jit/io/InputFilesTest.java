package dev.nicoffload.jit.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
    @Test
    void aDeviceIsRefusedBeforeItIsRead() {
        // before: Files.readAllBytes(/dev/zero) read until OutOfMemoryError (39 s)
        IOException e = assertThrows(IOException.class, () -> InputFiles.read(Path.of("/dev/zero")));
        assertTrue(e.getMessage().startsWith("not a regular file"), e.getMessage());
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // opening a FIFO with no writer would block this test for ever
        IOException e = assertThrows(IOException.class, () -> InputFiles.read(fifo));
        assertTrue(e.getMessage().startsWith("not a regular file"), e.getMessage());
    }

    @Test
    void aFileOverTheBoundIsRefusedWithTheBoundInTheMessage(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(InputFiles.MAX_BYTES + 1L); // sparse
        }
        IOException e = assertThrows(IOException.class, () -> InputFiles.read(huge));
        assertEquals("larger than the 64 MiB input limit (67108865 bytes); not read", e.getMessage());
        Path small = Files.write(dir.resolve("small"), new byte[101]);
        IOException s = assertThrows(IOException.class, () -> InputFiles.read(small, 100));
        assertTrue(s.getMessage().contains("100 bytes input limit"), s.getMessage());
        assertEquals(100, InputFiles.read(Files.write(dir.resolve("exact"), new byte[100]), 100).length);
    }

    @Test
    void missingFilesAndDirectoriesSaySo(@TempDir Path dir) {
        assertEquals("no such file", assertThrows(IOException.class, () -> InputFiles.read(dir.resolve("nothing"))).getMessage());
        assertEquals("is a directory", assertThrows(IOException.class, () -> InputFiles.read(dir)).getMessage());
    }

    @Test
    void filesWithoutASizeAreReadToTheirEndWithinTheBound() throws IOException {
        byte[] status = InputFiles.read(Path.of("/proc/self/status")); // size 0 in its metadata
        assertTrue(new String(status).contains("Name:"));
        IOException e = assertThrows(IOException.class, () -> InputFiles.read(Path.of("/proc/self/status"), 16));
        assertTrue(e.getMessage().contains("16 bytes input limit"), e.getMessage());
    }

    @Test
    void regularFilesAreReadWhole(@TempDir Path dir) throws IOException {
        byte[] data = new byte[3 * InputFiles.IO_CHUNK + 5];
        new java.util.Random(3).nextBytes(data);
        assertArrayEquals(data, InputFiles.read(Files.write(dir.resolve("f"), data)));
    }
}

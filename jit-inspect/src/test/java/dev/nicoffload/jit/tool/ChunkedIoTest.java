package dev.nicoffload.jit.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's file reads and output writes, kept to pieces of at most 8 KiB. */
class ChunkedIoTest {

    @Test
    void readsWholeFilesOfAnySize(@TempDir Path dir) throws IOException {
        SplittableRandom rnd = new SplittableRandom(6000);
        for (int size : new int[] {0, 1, NfpDisasmTool.IO_CHUNK - 1, NfpDisasmTool.IO_CHUNK, NfpDisasmTool.IO_CHUNK + 1, 3_000_017}) {
            byte[] data = new byte[size];
            rnd.nextBytes(data);
            Path f = dir.resolve("f" + size);
            Files.write(f, data);
            assertArrayEquals(data, NfpDisasmTool.readFile(f), size + " bytes");
        }
    }

    @Test
    void readsFilesThatTellNoSize() throws IOException {
        Path status = Path.of("/proc/self/status");
        byte[] got = NfpDisasmTool.readFile(status); // size 0 in its metadata, text when read
        assertTrue(new String(got, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Name:"));
    }

    @Test
    void writesEverythingInOrderInSmallPieces() throws IOException {
        SplittableRandom rnd = new SplittableRandom(6000);
        byte[] data = new byte[1_000_003];
        rnd.nextBytes(data);
        int[] largest = new int[1];
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                largest[0] = Math.max(largest[0], len);
                super.write(b, off, len);
            }
        };
        NfpDisasmTool.ChunkedOutput out = new NfpDisasmTool.ChunkedOutput(sink);
        int pos = 0;
        while (pos < data.length) {
            // single bytes, small writes and writes of several pieces at once, as a listing makes them
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                out.write(data[pos++]);
            } else {
                int len = Math.min(data.length - pos, kind == 1 ? rnd.nextInt(100) : rnd.nextInt(70_000));
                out.write(data, pos, len);
                pos += len;
            }
        }
        out.flush();
        assertArrayEquals(data, sink.toByteArray());
        assertEquals(NfpDisasmTool.IO_CHUNK, largest[0]);
    }
}

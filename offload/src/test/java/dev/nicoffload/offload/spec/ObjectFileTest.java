package dev.nicoffload.offload.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading object files: bounded, regular files only, every failure an {@link ObjectFormatException} naming the file. */
class ObjectFileTest {
    private static String failure(Path p) {
        return assertThrows(ObjectFormatException.class, () -> ObjectSpec.read(p)).getMessage();
    }

    @Test
    void fileErrorsAreObjectFormatExceptionsNamingTheFile(@TempDir Path dir) throws IOException {
        assertEquals(dir.resolve("none.o") + ": no such file", failure(dir.resolve("none.o")));
        assertEquals(dir + ": is a directory", failure(dir));
        assertEquals("/dev/zero: not a regular file (a device, FIFO or socket); only regular files are read", failure(Path.of("/dev/zero")));
        Path huge = dir.resolve("huge.o");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(ObjectSpec.MAX_OBJECT_BYTES + 1L);
        }
        assertEquals(huge + ": larger than the 64 MiB input limit (67108865 bytes); not read", failure(huge));
        Path x86 = Files.write(dir.resolve("x86.o"), Files.readAllBytes(Path.of("/bin/true")));
        assertTrue(failure(x86).startsWith(x86 + ": not a BPF object"), failure(x86));
        assertTrue(failure(Files.write(dir.resolve("empty.o"), new byte[0])).startsWith(dir.resolve("empty.o") + ": not an ELF file"));
    }

    @Test
    void aStreamIsReadUpToTheBound() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ObjectSpec.readBytes(endless));
        assertEquals("BPF object stream is larger than the 64 MiB input limit; not read", e.getMessage());
        assertEquals(3, ObjectSpec.readBytes(new ByteArrayInputStream(new byte[3])).length);
    }
}

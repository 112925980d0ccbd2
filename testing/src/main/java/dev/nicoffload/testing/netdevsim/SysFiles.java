package dev.nicoffload.testing.netdevsim;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes sysfs/debugfs attribute files with one write(2) each, as the kernel expects. */
final class SysFiles {
    private SysFiles() {
    }

    static void write(Path file, String value) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(value.getBytes(StandardCharsets.US_ASCII));
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Whether an IOException from a sysfs write carries this errno text (e.g. "No space left on device"). */
    static boolean hasReason(IOException e, String strerror) {
        String m = e.getMessage();
        return m != null && m.contains(strerror);
    }
}

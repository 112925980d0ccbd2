package dev.nicoffload.jit.io;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads whole input files (BPF objects, NFP ELF files, JIT images) with a size bound: only regular
 * files are read (a device such as {@code /dev/zero}, a FIFO or a socket is refused before it is
 * opened, so nothing blocks or reads without end), and never more than {@link #MAX_BYTES}.
 * Every failure is an {@link IOException} whose message says what is wrong without the file name
 * (callers put the name in front): "no such file", "is a directory", "not a regular file (...)",
 * "larger than the 64 MiB input limit (N bytes)", "permission denied".
 *
 * <p>Reads go in pieces of at most {@link #IO_CHUNK} bytes: a larger read into a Java array goes
 * through a native buffer of its full size, allocated and faulted in afresh, which in a short-lived
 * process on a small VM cost more than the read itself ({@code nfp-disasm}'s start-up). It is
 * java.io, not a channel: a channel's buffer bookkeeping runs often enough per file to get compiled.
 */
public final class InputFiles {
    /** The largest input file read: 64 MiB, far above any BPF object, NFP firmware file or JIT image. */
    public static final int MAX_BYTES = 64 << 20;

    /** The bound as the messages state it. */
    public static final String MAX_TEXT = sizeText(MAX_BYTES);

    /** The largest read handed to the JDK's file streams (up to 8 KiB they use a buffer on the stack). */
    public static final int IO_CHUNK = 8192;

    private InputFiles() {}

    /**
     * Reads a whole regular file of at most {@link #MAX_BYTES}.
     *
     * @param path the file
     * @return its bytes
     * @throws IOException when it is missing, not a regular file, too large, unreadable or fails to read
     */
    public static byte[] read(Path path) throws IOException {
        return read(path, MAX_BYTES);
    }

    /**
     * {@link #read(Path)} with another bound, for small files such as debugfs attributes.
     *
     * @param path  the file
     * @param limit the most bytes read
     * @return its bytes
     * @throws IOException as {@link #read(Path)}
     */
    public static byte[] read(Path path, int limit) throws IOException {
        String limitText = sizeText(limit);
        File f = path.toFile();
        if (!f.isFile()) {
            throw notRegular(path);
        }
        long size = f.length();
        if (size > limit) {
            throw tooLarge(limitText, size + " bytes");
        }
        FileInputStream in;
        try {
            in = new FileInputStream(f);
        } catch (FileNotFoundException e) {
            throw openFailure(path, e);
        }
        try (in) {
            if (size == 0) {
                return readUnsized(in, limit, limitText); // a file that tells no size (/proc): bounded read to its end
            }
            byte[] bytes = new byte[(int) size];
            int n = 0;
            while (n < bytes.length) {
                int r = in.read(bytes, n, Math.min(IO_CHUNK, bytes.length - n));
                if (r < 0) {
                    return Arrays.copyOf(bytes, n); // shrank while being read
                }
                n += r;
            }
            return bytes; // a file growing while being read is taken at the size it had
        }
    }

    private static byte[] readUnsized(FileInputStream in, int limit, String limitText) throws IOException {
        byte[] bytes = new byte[Math.min(IO_CHUNK, limit + 1)];
        int n = 0;
        while (true) {
            if (n == bytes.length) {
                if (n > limit) {
                    throw tooLarge(limitText, "more than " + limit + " bytes");
                }
                bytes = Arrays.copyOf(bytes, Math.min(limit + 1, n * 2));
            }
            int r = in.read(bytes, n, Math.min(IO_CHUNK, bytes.length - n));
            if (r < 0) {
                return Arrays.copyOf(bytes, n);
            }
            n += r;
        }
    }

    /** {@code 64 MiB}, {@code 4 KiB}, {@code 100 bytes}. */
    static String sizeText(int bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    private static IOException tooLarge(String limitText, String size) {
        return new IOException("larger than the " + limitText + " input limit (" + size + "); not read");
    }

    /** Why {@code path} is no regular file, as precise as the file system tells (only on failure: NIO costs start-up). */
    private static IOException notRegular(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            return new IOException("no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            return new IOException("permission denied", e);
        } catch (IOException e) {
            return new IOException("cannot read: " + e.getMessage(), e);
        }
        if (a.isDirectory()) {
            return new IOException("is a directory");
        }
        return new IOException("not a regular file (a device, FIFO or socket); only regular files are read");
    }

    private static IOException openFailure(Path path, FileNotFoundException e) {
        if (!Files.isReadable(path)) {
            return new IOException("permission denied", e);
        }
        String m = e.getMessage();
        int paren = m == null ? -1 : m.lastIndexOf(" (");
        return new IOException("cannot open: " + (paren >= 0 ? m.substring(paren + 2, m.length() - 1) : m), e);
    }
}

package dev.nicoffload.offload.internal;

import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.offload.error.Failure;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import java.io.IOException;
import java.nio.file.Files;

/** bpffs pinning: {@code BPF_OBJ_PIN} and {@code BPF_OBJ_GET}. */
public final class Pins {

    private Pins() {
    }

    private static String check(Path path) {
        if (path == null || !path.isAbsolute()) {
            throw new IllegalArgumentException("pin path must be absolute (in a bpffs mount): " + path);
        }
        return path.toString();
    }

    /** Pins {@code fd} at {@code path}. */
    public static void pin(int fd, Path path, String what) {
        String p = check(path);
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            int rc = LibBpf.objPin(fd, arena.allocateFrom(p));
            if (rc < 0) {
                throw Errors.of(Failure.of("pin " + what + " at " + p, -rc), Errors.CAP_SYS_ADMIN);
            }
        }
    }

    /**
     * Opens the object pinned at {@code path}; returns its fd.
     *
     * @param kind {@code program} or {@code map}: a pin of the other kind is refused
     */
    public static int open(Path path, String kind) {
        String p = check(path);
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibBpf.objGet(arena.allocateFrom(p));
            if (fd < 0) {
                // EACCES: the pin's mode bits (BPF_OBJ_GET opens it read-write); EPERM: a missing capability
                throw Errors.of(Failure.of("open pinned " + kind + " " + p, -fd), -fd == Errno.EACCES ? Errors.PIN_ACCESS : Errors.CAP_SYS_ADMIN);
            }
            String expected = kind.equals("program") ? "anon_inode:bpf-prog" : "anon_inode:bpf-map";
            String actual = fdTarget(fd);
            if (!expected.equals(actual)) {
                Fds.closeQuietly(fd);
                throw new IllegalArgumentException(p + " is not a pinned " + kind + " (" + actual + ")");
            }
            return fd;
        }
    }

    private static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

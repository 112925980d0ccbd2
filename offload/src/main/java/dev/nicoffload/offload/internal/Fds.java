package dev.nicoffload.offload.internal;

import dev.nicoffload.ffm.libc.LibC;

/** Small fd helpers. */
public final class Fds {

    private Fds() {
    }

    /** Closes an fd, ignoring failures (used on cleanup paths). */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }
}

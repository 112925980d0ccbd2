package dev.nicoffload.offload.load;

import dev.nicoffload.offload.internal.Fds;
import dev.nicoffload.offload.internal.NativeHandle;
import java.util.function.IntFunction;

/**
 * The file descriptor of a {@link Program} or {@link BpfMap} and who closes it: either the
 * {@link LoadedObject} the handle came from (the handle then lives as long as the object and
 * closing it does nothing), or the handle itself (opened from a pin or an id, or created alone),
 * with a Cleaner behind it for a handle its user forgets to close. Every system call on the fd
 * runs between {@link #acquire()} and {@link #release()} (see {@link NativeHandle}), so closing
 * never pulls the fd from under a call and a call never reaches an object that reused the number.
 */
final class HandleFd {
    private final int fd;
    private final NativeHandle lifetime;
    private final boolean owned;
    @SuppressWarnings("unused") // keeps the owning object (and its fds) reachable while the handle is
    private final LoadedObject owner;

    private HandleFd(int fd, NativeHandle lifetime, boolean owned, LoadedObject owner) {
        this.fd = fd;
        this.lifetime = lifetime;
        this.owned = owned;
        this.owner = owner;
    }

    /** An fd that {@code owner} closes. */
    static HandleFd ofObject(int fd, LoadedObject owner) {
        return new HandleFd(fd, owner.lifetime(), false, owner);
    }

    /** An fd that {@code handle} owns: closed with it, or by the Cleaner once {@code handle} is unreachable. */
    static HandleFd owned(Object handle, int fd, String what) {
        return new HandleFd(fd, new NativeHandle(handle, what, () -> Fds.closeQuietly(fd)), true, null);
    }

    /**
     * Builds a handle that will own {@code fd}; if building it fails, the fd is closed before the
     * exception goes on (nothing leaks from a failed open).
     */
    static <T> T adopt(int fd, IntFunction<T> make) {
        try {
            return make.apply(fd);
        } catch (RuntimeException | Error e) {
            Fds.closeQuietly(fd);
            throw e;
        }
    }

    /** The fd; throws {@link IllegalStateException} once the handle (or its object) is closed. */
    int get() {
        lifetime.checkOpen();
        return fd;
    }

    /**
     * Starts a call on the fd and returns it: the fd stays open (and this handle's) until the
     * matching {@link #release()}, which closing the handle or its object waits for.
     *
     * @throws IllegalStateException once the handle (or its object) is closed
     */
    int acquire() {
        lifetime.acquire();
        return fd;
    }

    /** Ends a call started by {@link #acquire()}. */
    void release() {
        lifetime.release();
    }

    /** Runs {@code call} on the fd between {@link #acquire()} and {@link #release()}. */
    <T> T call(IntFunction<T> call) {
        int f = acquire();
        try {
            return call.apply(f);
        } finally {
            release();
        }
    }

    boolean isClosed() {
        return lifetime.isClosed();
    }

    /** Closes the fd if the handle owns it; an object's fd stays until the object closes. */
    void close() {
        if (owned) {
            lifetime.close();
        }
    }
}

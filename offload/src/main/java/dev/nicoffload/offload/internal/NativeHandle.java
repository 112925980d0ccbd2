package dev.nicoffload.offload.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lifecycle of one native resource (an fd, a libbpf object): closes it exactly once, either by
 * {@link #close()} or, for a handle its owner forgot, by a {@link Cleaner} that also logs once.
 * A closed handle refuses use with {@link IllegalStateException}.
 */
public final class NativeHandle implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("dev.nicoffload.offload");
    private static final AtomicBoolean LEAK_LOGGED = new AtomicBoolean();

    private final String what;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    private static final class Release implements Runnable {
        private final String what;
        private final Runnable action;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean explicit;

        Release(String what, Runnable action) {
            this.what = what;
            this.action = action;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                if (!explicit && LEAK_LOGGED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "nicoffload: " + what
                            + " was not closed; released by the cleaner (further leaks are not logged)");
                }
                action.run();
            }
        }
    }

    /**
     * Registers {@code owner} so that {@code release} runs when {@code owner} is closed or becomes
     * unreachable. {@code release} must not reference {@code owner}.
     */
    public NativeHandle(Object owner, String what, Runnable release) {
        this.what = what;
        this.release = new Release(what, release);
        this.cleanable = CLEANER.register(owner, this.release);
    }

    /** True once closed. */
    public boolean isClosed() {
        return release.done.get();
    }

    /** Throws {@link IllegalStateException} when closed. */
    public void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    @Override
    public void close() {
        release.explicit = true;
        cleanable.clean();
    }
}

package dev.nicoffload.offload.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Lifecycle of one native resource (an fd, a libbpf object): closes it exactly once, either by
 * {@link #close()} or, for a handle its owner forgot, by a {@link Cleaner} that also logs once.
 * <p>
 * Calls and closing exclude each other. A call brackets its use of the resource with
 * {@link #acquire()} and {@link #release()}; {@code acquire} throws {@link IllegalStateException}
 * once the handle is closed. Closing first refuses new calls, then waits for the calls in flight to
 * release (each is one system call, so the wait is as long as that call), and only then releases
 * the resource. So a file descriptor is never closed while a call uses it, and a call never reaches
 * another object that took the same fd number after the close. The bracket costs two atomic
 * additions on one word and allocates nothing. A thread must not close a handle while it holds an
 * {@code acquire} of it (that close would wait for itself).
 */
public final class NativeHandle implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("dev.nicoffload.offload");
    private static final AtomicBoolean LEAK_LOGGED = new AtomicBoolean();

    /** Bit 0 of the state word: closed (no new calls). The calls in flight count in steps of {@link #CALL}. */
    private static final int CLOSED = 1;
    private static final int CALL = 2;
    private static final VarHandle STATE;
    private static final VarHandle CLOSER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Release.class, "state", int.class);
            CLOSER = l.findVarHandle(Release.class, "closer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String what;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /**
     * The state shared by the handle and its Cleaner action (which must not reach the owner): the
     * closed bit and the count of calls in flight, and the thread waiting for them to drain.
     */
    private static final class Release implements Runnable {
        private final String what;
        private final Runnable action;
        @SuppressWarnings("unused") // through STATE
        private volatile int state;
        @SuppressWarnings("unused") // through CLOSER
        private volatile Thread closer;
        private volatile boolean explicit;

        Release(String what, Runnable action) {
            this.what = what;
            this.action = action;
        }

        @Override
        public void run() {
            int s = (int) STATE.getAndBitwiseOr(this, CLOSED);
            if ((s & CLOSED) != 0) {
                return; // closed already (or being closed by another thread)
            }
            if (s != 0) { // calls in flight: wait until the last one releases
                CLOSER.setVolatile(this, Thread.currentThread());
                while ((int) STATE.getVolatile(this) != CLOSED) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            }
            if (!explicit && LEAK_LOGGED.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "nicoffload: " + what
                        + " was not closed; released by the cleaner (further leaks are not logged)");
            }
            action.run();
        }

        void enter() {
            int s = (int) STATE.getAndAdd(this, CALL);
            if ((s & CLOSED) != 0) {
                exit();
                throw new IllegalStateException(what + " is closed");
            }
        }

        void exit() {
            int s = (int) STATE.getAndAdd(this, -CALL);
            if (s == (CLOSED | CALL)) { // the last call out of a closing handle wakes the closer
                Thread t = (Thread) CLOSER.getVolatile(this);
                if (t != null) {
                    LockSupport.unpark(t);
                }
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

    /** True once closed (or closing: no new call is admitted). */
    public boolean isClosed() {
        return ((int) STATE.getVolatile(release) & CLOSED) != 0;
    }

    /** Throws {@link IllegalStateException} when closed. */
    public void checkOpen() {
        if (isClosed()) {
            throw new IllegalStateException(what + " is closed");
        }
    }

    /**
     * Starts a call on the resource: until the matching {@link #release()}, closing waits. Pair
     * every successful {@code acquire} with one {@code release}, in a {@code finally}.
     *
     * @throws IllegalStateException when closed
     */
    public void acquire() {
        release.enter();
    }

    /** Ends a call started by {@link #acquire()}. */
    public void release() {
        release.exit();
    }

    /**
     * Closes: refuses new calls, waits for the calls in flight, then releases the resource.
     * Idempotent; a close racing with another returns at once.
     */
    @Override
    public void close() {
        release.explicit = true;
        cleanable.clean();
    }
}

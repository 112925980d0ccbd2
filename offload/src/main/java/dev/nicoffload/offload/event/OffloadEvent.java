package dev.nicoffload.offload.event;

import dev.nicoffload.offload.error.OffloadException;
import java.util.function.Supplier;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * The fields every nicoffload event has: the device, the outcome and the errno. The event's
 * duration is the operation's. Subclasses name the operation.
 */
@Category("nicoffload")
public abstract class OffloadEvent extends Event {
    /** The outcome of an operation that succeeded. */
    public static final String OK = "ok";

    /** The device's name; empty for the host. */
    @Label("Device")
    @Description("Network device name, empty for the host")
    public String device = "";

    /** {@link #OK}, or the simple class name of the exception the operation threw. */
    @Label("Outcome")
    @Description("ok, or the simple class name of the exception thrown")
    public String outcome = "";

    /** The errno of a failed kernel call, 0 on success or when the failure had none. */
    @Label("Errno")
    public int errno;

    /** The failure's message (operation, errno name, extack), empty on success. */
    @Label("Message")
    public String message = "";

    private transient long startNanos;

    /** Only subclasses. */
    protected OffloadEvent() {
    }

    /**
     * Runs {@code operation} as this event: times it, records its outcome, commits the event
     * and logs one line at {@code DEBUG} to {@code log}.
     *
     * @param log the logger of the operation's package
     * @param what a short description for the log line, e.g. {@code load 'xdp_pass' to eth0}
     * @param operation the operation
     * @param <T> its result
     * @return its result
     */
    public final <T> T run(System.Logger log, String what, Supplier<T> operation) {
        startNanos = System.nanoTime();
        begin();
        try {
            T result = operation.get();
            outcome = OK;
            return result;
        } catch (RuntimeException | Error e) {
            outcome = e.getClass().getSimpleName();
            message = String.valueOf(e.getMessage());
            if (e instanceof OffloadException oe) {
                errno = oe.errno();
            }
            throw e;
        } finally {
            end();
            commit();
            if (log.isLoggable(System.Logger.Level.DEBUG)) {
                double ms = (System.nanoTime() - startNanos) / 1e6;
                log.log(System.Logger.Level.DEBUG, String.format("%s: %s in %.3f ms%s", what, outcome, ms,
                        errno != 0 ? " (errno " + errno + ")" : ""));
            }
        }
    }

    /** Like {@link #run(System.Logger, String, Supplier)} for an operation without a result. */
    public final void run(System.Logger log, String what, Runnable operation) {
        run(log, what, () -> {
            operation.run();
            return null;
        });
    }
}

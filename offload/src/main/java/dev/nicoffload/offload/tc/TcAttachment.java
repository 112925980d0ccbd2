package dev.nicoffload.offload.tc;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.load.Program;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One program running as a cls_bpf filter, from {@link Tc#attach} or {@code Program.attachTc}.
 * Closing deletes the filter, but only while the filter at its place still runs this attachment's
 * program (a filter replaced by someone else since is left alone); closing again does nothing.
 * The clsact qdisc stays.
 */
public final class TcAttachment implements AutoCloseable {

    private final Program program;
    private final OffloadDevice device;
    private final TcOptions options;
    private final TcFilter filter;
    private final AtomicBoolean closed = new AtomicBoolean();

    TcAttachment(Program program, OffloadDevice device, TcOptions options, TcFilter filter) {
        this.program = program;
        this.device = device;
        this.options = options;
        this.filter = filter;
    }

    /** The program. */
    public Program program() {
        return program;
    }

    /** The device. */
    public OffloadDevice device() {
        return device;
    }

    /** The options the filter was added with. */
    public TcOptions options() {
        return options;
    }

    /** The filter as the kernel reported it right after adding it. */
    public TcFilter filter() {
        return filter;
    }

    /** The filter as the kernel reports it now, when it is still this attachment's. */
    public Optional<TcFilter> current() {
        if (closed.get()) {
            return Optional.empty();
        }
        return Tc.filter(device, options).filter(f -> f.programId() == filter.programId());
    }

    /**
     * Deletes the filter if it still runs this attachment's program; a device that has gone
     * (taking its filters with it) is not an error.
     *
     * @throws dev.nicoffload.offload.error.AttachRejectedException when the kernel refuses the deletion
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Optional<TcFilter> now = Tc.filter(device, options);
            if (now.isPresent() && now.get().programId() == filter.programId()) {
                Tc.deleteFilter(device, options);
            }
        } catch (DeviceGoneException gone) {
            // the device and its filters are gone
        }
    }

    @Override
    public String toString() {
        return "TcAttachment[" + program.name() + " (id " + filter.programId() + ") on " + device.name() + " " + options + "]";
    }
}

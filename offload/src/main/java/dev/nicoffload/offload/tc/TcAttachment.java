package dev.nicoffload.offload.tc;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.internal.AttachmentState;
import dev.nicoffload.offload.load.Program;

import java.util.Optional;

/**
 * One program running as a cls_bpf filter, from {@link Tc#attach} or {@code Program.attachTc}.
 * Closing deletes the filter, but only while the filter at its place still runs this attachment's
 * program: a filter replaced by someone else since is left alone (the kernel has no compare for a
 * cls_bpf delete, so close checks the program id and learns from the kernel's echo which program
 * the delete removed; one that replaced ours in between is put back at once). A deletion the
 * kernel refuses throws and leaves the attachment open, so that {@link #close()} can be retried;
 * after a successful close, closing again does nothing. The clsact qdisc stays.
 */
public final class TcAttachment implements AutoCloseable {

    private final Program program;
    private final OffloadDevice device;
    private final TcOptions options;
    private final TcFilter filter;
    private final AttachmentState state = new AttachmentState();

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
        if (state.isClosed()) {
            return Optional.empty();
        }
        return Tc.filter(device, options).filter(f -> f.programId() == filter.programId());
    }

    /**
     * Deletes the filter if it still runs this attachment's program; a device that has gone
     * (taking its filters with it) is not an error.
     *
     * @throws dev.nicoffload.offload.error.AttachRejectedException when the kernel refuses the deletion;
     *                                                              the attachment then stays open and closing can be retried
     */
    @Override
    public void close() {
        state.close(() -> {
            try {
                Tc.deleteIfRunning(device, options, filter.programId());
            } catch (DeviceGoneException gone) {
                // the device and its filters are gone
            }
        });
    }

    @Override
    public String toString() {
        return "TcAttachment[" + program.name() + " (id " + filter.programId() + ") on " + device.name() + " " + options + "]";
    }
}

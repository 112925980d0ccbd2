package dev.nicoffload.offload.xdp;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.Program;

import dev.nicoffload.offload.internal.AttachmentState;

/**
 * One XDP program attached to one device in one mode. Closing detaches it, but only while it is
 * still the program attached in that mode: the detach request names this program as the expected
 * one ({@code XDP_FLAGS_REPLACE} with {@code IFLA_XDP_EXPECTED_FD}), so the kernel itself leaves a
 * program that replaced it alone, with no window between a check and the detach. A detach the
 * driver refuses throws and leaves the attachment open ({@link #isAttached()} stays true) so that
 * {@link #close()} can be retried; after a successful close, closing again does nothing.
 */
public final class XdpAttachment implements AutoCloseable {

    private final Program program;
    private final int programId;
    private final OffloadDevice device;
    private final XdpMode mode;
    private final AttachmentState state = new AttachmentState();

    XdpAttachment(Program program, int programId, OffloadDevice device, XdpMode mode) {
        this.program = program;
        this.programId = programId;
        this.device = device;
        this.mode = mode;
    }

    /** The attached program. */
    public Program program() {
        return program;
    }

    /** The attached program's id. */
    public int programId() {
        return programId;
    }

    /** The device. */
    public OffloadDevice device() {
        return device;
    }

    /** The mode. */
    public XdpMode mode() {
        return mode;
    }

    /** True while this attachment's program is the one the kernel reports in its mode on its device. */
    public boolean isAttached() {
        return !state.isClosed() && Xdp.query(device).programId(mode) == programId;
    }

    /**
     * Detaches the program if it is still the one attached in this mode (a device that has gone is
     * not an error).
     *
     * @throws dev.nicoffload.offload.error.AttachRejectedException when the driver refuses the detach;
     *                                                              the attachment then stays open and closing can be retried
     */
    @Override
    public void close() {
        state.close(() -> Xdp.detachIfAttached(device, mode, programId, program));
    }

    @Override
    public String toString() {
        return "XdpAttachment[" + program.name() + " (id " + programId + ") on " + device.name() + " in " + mode + " mode]";
    }
}

package dev.nicoffload.offload.xdp;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.Program;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One XDP program attached to one device in one mode. Closing detaches it, but only while it is
 * still the program attached in that mode (a program attached by someone else since is left alone);
 * closing again does nothing.
 */
public final class XdpAttachment implements AutoCloseable {

    private final Program program;
    private final int programId;
    private final OffloadDevice device;
    private final XdpMode mode;
    private final AtomicBoolean closed = new AtomicBoolean();

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
        return !closed.get() && Xdp.query(device).programId(mode) == programId;
    }

    /**
     * Detaches the program if it is still the one attached in this mode.
     *
     * @throws dev.nicoffload.offload.error.AttachRejectedException when the driver refuses the detach
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Xdp.detachIfAttached(device, mode, programId, program);
        }
    }

    @Override
    public String toString() {
        return "XdpAttachment[" + program.name() + " (id " + programId + ") on " + device.name() + " in " + mode + " mode]";
    }
}

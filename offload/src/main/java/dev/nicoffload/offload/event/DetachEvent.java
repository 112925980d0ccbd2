package dev.nicoffload.offload.event;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One detach: an XDP program from a device ({@code Xdp.detach}, closing an {@code XdpAttachment}) or a TC filter deleted. */
@Name("dev.nicoffload.Detach")
@Label("Program Detach")
public final class DetachEvent extends OffloadEvent {
    /** The program's name, empty when the detach names only the place. */
    @Label("Program")
    public String program = "";

    /** The kernel's program id, 0 when unknown. */
    @Label("Program Id")
    public int programId;

    /** {@code xdp} or {@code tc}. */
    @Label("Hook")
    public String hook = "";

    /** The XDP mode or the TC filter's place. */
    @Label("Mode")
    public String mode = "";

    /** An event to fill in; see {@link OffloadEvent#run}. */
    public DetachEvent() {
    }
}

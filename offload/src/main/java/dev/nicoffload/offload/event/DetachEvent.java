package dev.nicoffload.offload.event;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One detach: an XDP program from a device ({@code Xdp.detach}, closing an {@code XdpAttachment}) or a TC filter deleted. */
@Name("dev.nicoffload.Detach")
@Label("Program Detach")
public final class DetachEvent extends HookEvent {
    /** An event to fill in; see {@link OffloadEvent#run}. */
    public DetachEvent() {
    }
}

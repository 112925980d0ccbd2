package dev.nicoffload.offload.event;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One program attached to a device: XDP ({@code Xdp.attach}) or a TC filter ({@code Tc.addFilter}, {@code Tc.attach}). */
@Name("dev.nicoffload.Attach")
@Label("Program Attach")
public final class AttachEvent extends HookEvent {
    /** An event to fill in; see {@link OffloadEvent#run}. */
    public AttachEvent() {
    }
}

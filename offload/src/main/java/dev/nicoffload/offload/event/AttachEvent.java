package dev.nicoffload.offload.event;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One program attached to a device: XDP ({@code Xdp.attach}) or a TC filter ({@code Tc.addFilter}, {@code Tc.attach}). */
@Name("dev.nicoffload.Attach")
@Label("Program Attach")
public final class AttachEvent extends OffloadEvent {
    /** The program's name. */
    @Label("Program")
    public String program = "";

    /** The kernel's program id, 0 when unknown. */
    @Label("Program Id")
    public int programId;

    /** {@code xdp} or {@code tc}. */
    @Label("Hook")
    public String hook = "";

    /** The XDP mode ({@code HW}, {@code DRV}, {@code SKB}) or the TC direction and skip flags. */
    @Label("Mode")
    public String mode = "";

    /** An event to fill in; see {@link OffloadEvent#run}. */
    public AttachEvent() {
    }
}

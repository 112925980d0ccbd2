package dev.nicoffload.offload.event;

import jdk.jfr.Label;

/** The fields of an event about a program on a device hook: {@link AttachEvent} and {@link DetachEvent}. */
public abstract class HookEvent extends OffloadEvent {
    /** The program's name; empty when the operation names only the place. */
    @Label("Program")
    public String program = "";

    /** The kernel's program id, 0 when unknown. */
    @Label("Program Id")
    public int programId;

    /** {@code xdp} or {@code tc}. */
    @Label("Hook")
    public String hook = "";

    /** The XDP mode ({@code HW}, {@code DRV}, {@code SKB}) or the TC filter's place and skip flags. */
    @Label("Mode")
    public String mode = "";

    /** Only the two subclasses. */
    HookEvent() {
    }
}

package dev.nicoffload.offload.event;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One BPF object load ({@code ObjectLoader.load}, {@code NicOffload.load}): ELF open, device binding, verifier. */
@Name("dev.nicoffload.Load")
@Label("BPF Object Load")
public final class LoadEvent extends OffloadEvent {
    /** The object's name. */
    @Label("Object")
    public String object = "";

    /** {@code offload} (programs bound to {@link #device}) or {@code host}. */
    @Label("Mode")
    public String mode = "";

    /** The number of programs loaded; 0 when the load failed. */
    @Label("Programs")
    public int programs;

    /** The number of maps created; 0 when the load failed. */
    @Label("Maps")
    public int maps;

    /** An event to fill in; see {@link OffloadEvent#run}. */
    public LoadEvent() {
    }
}

package dev.nicoffload.offload.event;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One batch operation on a map: many entries written, read or deleted in one call. */
@Name("dev.nicoffload.MapBatch")
@Label("Map Batch Operation")
public final class MapBatchEvent extends OffloadEvent {
    /** The map's name. */
    @Label("Map")
    public String map = "";

    /** The kernel's map id, 0 when unknown. */
    @Label("Map Id")
    public int mapId;

    /** The operation, e.g. {@code writeAll}, {@code readAll}, {@code deleteAll}. */
    @Label("Operation")
    public String operation = "";

    /** The number of entries the operation was given or produced. */
    @Label("Entries")
    public int entries;

    /** An event to fill in; see {@link OffloadEvent#run}. */
    public MapBatchEvent() {
    }
}

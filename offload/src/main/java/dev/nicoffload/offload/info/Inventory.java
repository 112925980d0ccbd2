package dev.nicoffload.offload.info;

import dev.nicoffload.offload.internal.InfoReader;

import java.util.List;

/**
 * Every BPF program and map loaded in the kernel (needs {@code CAP_SYS_ADMIN}). Orphaned programs
 * (bound to a device that was removed; the 6.1 kernel keeps them enumerable but get_info gives
 * ENODEV) are left out unless asked for.
 */
public final class Inventory {

    private Inventory() {
    }

    /** All programs except orphaned ones, by ascending id. */
    public static List<ProgramInfo> programs() {
        return InfoReader.listPrograms(false);
    }

    /** All programs by ascending id; with {@code includeOrphaned}, orphans appear as {@link ProgramInfo#orphan}. */
    public static List<ProgramInfo> programs(boolean includeOrphaned) {
        return InfoReader.listPrograms(includeOrphaned);
    }

    /** All maps, by ascending id. */
    public static List<MapInfo> maps() {
        return InfoReader.listMaps();
    }

    /** The program with this id. */
    public static ProgramInfo program(int id) {
        return InfoReader.programById(id);
    }

    /** The map with this id. */
    public static MapInfo map(int id) {
        return InfoReader.mapById(id);
    }
}

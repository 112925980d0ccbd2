package dev.nicoffload.offload.internal;

import static dev.nicoffload.ffm.bpf.BpfLayouts.MAP_INFO;
import static dev.nicoffload.ffm.bpf.BpfLayouts.PROG_INFO;
import static dev.nicoffload.ffm.bpf.BpfLayouts.getInt;
import static dev.nicoffload.ffm.bpf.BpfLayouts.getLong;
import static dev.nicoffload.ffm.bpf.BpfLayouts.offset;
import static dev.nicoffload.ffm.bpf.BpfLayouts.setInt;
import static dev.nicoffload.ffm.bpf.BpfLayouts.setLong;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.info.ProgramType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/** Reads program and map info by fd, by id, and lists everything loaded. */
public final class InfoReader {

    private InfoReader() {
    }

    /** Reads {@code BPF_OBJ_GET_INFO_BY_FD} into {@code info}; returns 0 or the positive errno. */
    private static int getInfo(int fd, MemorySegment info, Arena arena) {
        MemorySegment len = arena.allocateFrom(JAVA_INT, (int) info.byteSize());
        int rc = LibBpf.objGetInfoByFd(fd, info, len);
        return rc < 0 ? -rc : 0;
    }

    /** Fills {@code info} with the info of {@code fd} and returns it; {@code what} names the query in the error. */
    private static MemorySegment queryInfo(int fd, MemorySegment info, Arena arena, String what) {
        int errno = getInfo(fd, info, arena);
        if (errno != 0) {
            throw Errors.of(what, errno);
        }
        return info;
    }

    /**
     * Asks the kernel again for a program's info, this time with room for {@code count} elements of
     * an array it fills in ({@code countField} holds the room, {@code pointerField} the address of
     * {@code target}); returns how many it wrote.
     */
    private static int queryProgramArray(int fd, Arena arena, String countField, int count, String pointerField,
                                         MemorySegment target, String what) {
        MemorySegment info = arena.allocate(PROG_INFO);
        setInt(info, PROG_INFO, countField, count);
        setLong(info, PROG_INFO, pointerField, target.address());
        queryInfo(fd, info, arena, what);
        return Math.min(count, getInt(info, PROG_INFO, countField));
    }

    /**
     * Program info by fd.
     *
     * @throws dev.nicoffload.offload.error.OffloadException ENODEV for an orphaned program, others as mapped
     */
    public static ProgramInfo programInfo(int fd) {
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = queryInfo(fd, arena.allocate(PROG_INFO), arena, "get program info");
            int nrMaps = getInt(info, PROG_INFO, "nr_map_ids");
            List<Integer> mapIds = new ArrayList<>();
            if (nrMaps > 0) {
                MemorySegment ids = arena.allocate(JAVA_INT, nrMaps);
                int got = queryProgramArray(fd, arena, "nr_map_ids", nrMaps, "map_ids", ids, "get program map ids");
                for (int i = 0; i < got; i++) {
                    mapIds.add(ids.getAtIndex(JAVA_INT, i));
                }
            }
            byte[] tag = new byte[8];
            MemorySegment.copy(info, offset(PROG_INFO, "tag"), MemorySegment.ofArray(tag), 0, 8);
            int ifindex = getInt(info, PROG_INFO, "ifindex");
            long nsDev = getLong(info, PROG_INFO, "netns_dev");
            long nsIno = getLong(info, PROG_INFO, "netns_ino");
            int typeValue = getInt(info, PROG_INFO, "type");
            return new ProgramInfo(getInt(info, PROG_INFO, "id"), ProgramType.of(typeValue),
                    HexFormat.of().formatHex(tag), name(info, PROG_INFO), ifindex, nsDev, nsIno,
                    ifnameIfLocal(ifindex, nsDev, nsIno), mapIds,
                    getInt(info, PROG_INFO, "xlated_prog_len"), getInt(info, PROG_INFO, "jited_prog_len"),
                    getInt(info, PROG_INFO, "verified_insns"), false);
        }
    }

    /** The raw JIT image of a program (the device image for an NFP-offloaded one); empty when none. */
    public static byte[] jitedImage(int fd) {
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = queryInfo(fd, arena.allocate(PROG_INFO), arena, "get program info");
            int len = getInt(info, PROG_INFO, "jited_prog_len");
            if (len == 0) {
                return new byte[0];
            }
            MemorySegment image = arena.allocate(len, 8);
            int got = queryProgramArray(fd, arena, "jited_prog_len", len, "jited_prog_insns", image,
                    "get program JIT image");
            return image.asSlice(0, got).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }

    /** Map info by fd. */
    public static MapInfo mapInfo(int fd) {
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = queryInfo(fd, arena.allocate(MAP_INFO), arena, "get map info");
            int ifindex = getInt(info, MAP_INFO, "ifindex");
            long nsDev = getLong(info, MAP_INFO, "netns_dev");
            long nsIno = getLong(info, MAP_INFO, "netns_ino");
            return new MapInfo(getInt(info, MAP_INFO, "id"), MapType.of(getInt(info, MAP_INFO, "type")),
                    name(info, MAP_INFO), getInt(info, MAP_INFO, "key_size"), getInt(info, MAP_INFO, "value_size"),
                    getInt(info, MAP_INFO, "max_entries"), getInt(info, MAP_INFO, "map_flags"),
                    ifindex, nsDev, nsIno, ifnameIfLocal(ifindex, nsDev, nsIno), getInt(info, MAP_INFO, "btf_id"));
        }
    }

    private static String name(MemorySegment info, GroupLayout layout) {
        return info.asSlice(offset(layout, "name"), 16).getString(0);
    }

    /** The device name when the (ifindex, netns) pair is in the caller's netns. */
    static Optional<String> ifnameIfLocal(int ifindex, long nsDev, long nsIno) {
        if (ifindex == 0) {
            return Optional.empty();
        }
        long[] self = callerNetns();
        if (self == null || self[0] != nsDev || self[1] != nsIno) {
            return Optional.empty();
        }
        return LibC.ifIndexToName(ifindex);
    }

    /** {dev, ino} of the caller's network namespace ({@code stat /proc/self/ns/net}), or null. */
    public static long[] callerNetns() {
        try {
            Path ns = Path.of("/proc/self/ns/net");
            long dev = ((Number) Files.getAttribute(ns, "unix:dev")).longValue();
            long ino = ((Number) Files.getAttribute(ns, "unix:ino")).longValue();
            return new long[] {dev, ino};
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A new fd for the program with this id; the caller closes it. */
    public static int programFdById(int id) {
        return fdById("program", id, LibBpf::progGetFdById);
    }

    /** A new fd for the map with this id; the caller closes it. */
    public static int mapFdById(int id) {
        return fdById("map", id, LibBpf::mapGetFdById);
    }

    private static int fdById(String what, int id, java.util.function.IntUnaryOperator getFdById) {
        if (id <= 0) {
            throw new IllegalArgumentException(what + " ids are positive, got " + id);
        }
        LibBpf.ensureLoaded();
        int fd = getFdById.applyAsInt(id);
        if (fd < 0) {
            throw Errors.of("open " + what + " id " + id, -fd);
        }
        return fd;
    }

    /** The device named by an info record's ifname, when it can still be resolved in this netns. */
    public static OffloadDevice deviceOf(Optional<String> ifname) {
        return ifname.map(n -> {
            try {
                return OffloadDevice.byName(n);
            } catch (RuntimeException gone) {
                return null;
            }
        }).orElse(null);
    }

    /** Program info by id (opens an fd by id and closes it). */
    public static ProgramInfo programById(int id) {
        int fd = programFdById(id);
        try {
            return programInfo(fd);
        } finally {
            Fds.closeQuietly(fd);
        }
    }

    /** Map info by id. */
    public static MapInfo mapById(int id) {
        int fd = mapFdById(id);
        try {
            return mapInfo(fd);
        } finally {
            Fds.closeQuietly(fd);
        }
    }

    /** Lists programs; orphans (ENODEV) as {@link ProgramInfo#orphan} when asked, else skipped. */
    public static List<ProgramInfo> listPrograms(boolean includeOrphaned) {
        return walkIds("program", LibBpf::progGetNextId, LibBpf::progGetFdById, InfoReader::programInfo,
                id -> includeOrphaned ? ProgramInfo.orphan(id) : null);
    }

    /** Lists maps; a map destroyed with its device (ENODEV) is left out. */
    public static List<MapInfo> listMaps() {
        return walkIds("map", LibBpf::mapGetNextId, LibBpf::mapGetFdById, InfoReader::mapInfo, id -> null);
    }

    /** {@code BPF_*_GET_NEXT_ID}: 0 or {@code -errno}, the next id written to {@code next}. */
    private interface NextId {
        int next(int start, MemorySegment next);
    }

    /**
     * Walks every id of one object kind, reading each object's info through a fresh fd. Objects
     * unloaded meanwhile are skipped; for one whose device is gone, {@code onGone} gives the entry
     * (or null to leave it out).
     */
    private static <T> List<T> walkIds(String kind, NextId nextId, IntUnaryOperator fdById, IntFunction<T> info,
                                       IntFunction<T> onGone) {
        LibBpf.ensureLoaded();
        List<T> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = arena.allocate(JAVA_INT);
            int id = 0;
            while (true) {
                int rc = nextId.next(id, next);
                if (rc == -Errno.ENOENT) {
                    break;
                }
                if (rc < 0) {
                    throw Errors.of("list " + kind + "s", -rc);
                }
                id = next.get(JAVA_INT, 0);
                int fd = fdById.applyAsInt(id);
                if (fd == -Errno.ENOENT) {
                    continue; // unloaded meanwhile
                }
                if (fd < 0) {
                    throw Errors.of("open " + kind + " id " + id, -fd);
                }
                try {
                    out.add(info.apply(fd));
                } catch (DeviceGoneException gone) {
                    T entry = onGone.apply(id);
                    if (entry != null) {
                        out.add(entry);
                    }
                } finally {
                    Fds.closeQuietly(fd);
                }
            }
        }
        return List.copyOf(out);
    }
}

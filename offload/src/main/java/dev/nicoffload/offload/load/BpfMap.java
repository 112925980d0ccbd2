package dev.nicoffload.offload.load;

import dev.nicoffload.ffm.bpf.BpfSyscall;

import dev.nicoffload.ffm.libc.SysResult;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.internal.Errors;
import dev.nicoffload.offload.internal.InfoReader;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.internal.Pins;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A BPF map as a raw handle: its shape, its file descriptor and its kernel info. Typed access to
 * keys and values (codecs, offload-aware update semantics) builds on this handle.
 * Maps of a {@link LoadedObject} live as long as the object; a map opened from a pin owns its fd.
 */
public final class BpfMap implements AutoCloseable {

    private final String name;
    private final MapType type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final OffloadDevice device;
    private final HandleFd fd;

    /** A map owned by {@code owner}. */
    BpfMap(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
           OffloadDevice device, int fd, LoadedObject owner) {
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.device = device;
        this.fd = HandleFd.ofObject(fd, owner);
    }

    private BpfMap(MapInfo info, OffloadDevice device, int fd, String what) {
        this.name = info.name();
        this.type = info.type();
        this.keySize = info.keySize();
        this.valueSize = info.valueSize();
        this.maxEntries = info.maxEntries();
        this.flags = info.flags();
        this.device = device;
        this.fd = HandleFd.owned(this, fd, what);
    }

    /** Opens a map pinned in bpffs, walked as {@link Program#openPinned} walks; the returned map owns its fd. */
    public static BpfMap openPinned(Path pin) {
        return open(Pins.open(pin, "map"), "map pinned at " + pin);
    }

    /**
     * Opens a map by its kernel id (as {@code bpftool map show id N} does); the returned map owns its fd.
     *
     * @throws IllegalArgumentException when {@code id} is not positive
     */
    public static BpfMap openById(int id) {
        return open(InfoReader.mapFdById(id), "map id " + id);
    }

    private static BpfMap open(int fd, String origin) {
        return HandleFd.adopt(fd, f -> {
            MapInfo info = InfoReader.mapInfo(f);
            return new BpfMap(info, InfoReader.deviceOf(info.ifname()), f, origin);
        });
    }

    /**
     * Creates a map outside any object, owning its fd: bound to {@code device} ({@code map_ifindex},
     * no BTF), or on the host when {@code device} is null. Such a map can be shared by several
     * programs of one device: pass it to {@link LoadOptions#withMap}.
     *
     * @throws IllegalArgumentException when a size or count is not positive, or the name is blank
     * @throws dev.nicoffload.offload.error.OffloadException when the kernel or driver refuses (errno as reported)
     */
    public static BpfMap create(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                                OffloadDevice device) {
        if (name == null || name.isBlank() || type == null || keySize <= 0 || valueSize <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("map needs a name, a type and positive key size, value size and max"
                    + " entries: " + name + ", " + type + ", " + keySize + ", " + valueSize + ", " + maxEntries);
        }
        String where = device == null ? "the host" : device.name();
        SysResult r = BpfSyscall.mapCreate(type.value(), name, keySize, valueSize, maxEntries, flags,
                device == null ? 0 : device.ifindex());
        if (r.failed()) {
            Failure f = Failure.of("create " + type + " map '" + name + "' (key " + keySize + " B, value " + valueSize
                    + " B, max_entries " + maxEntries + ", flags 0x" + Integer.toHexString(flags) + ") on " + where, r.errno());
            throw device == null ? Errors.of(f, Errors.CAP_SYS_ADMIN) : Errors.onDevice(f, device, Errors.CAP_SYS_ADMIN);
        }
        return HandleFd.adopt(r.intValue(), fd -> new BpfMap(InfoReader.mapInfo(fd), device, fd, "map '" + name + "' on " + where));
    }

    /** The map's name. */
    public String name() {
        return name;
    }

    /** The map type, or null for a type this library does not know. */
    public MapType type() {
        return type;
    }

    /** Key size in bytes. */
    public int keySize() {
        return keySize;
    }

    /** Value size in bytes. */
    public int valueSize() {
        return valueSize;
    }

    /** Maximum number of entries. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Map flags. */
    public int flags() {
        return flags;
    }

    /** The device the map lives on; empty for a host map. */
    public Optional<OffloadDevice> device() {
        return Optional.ofNullable(device);
    }

    /**
     * The map's file descriptor, valid while the map (or its object) is open. Another thread may
     * close the map right after this returns, and the number may then name another kernel object:
     * code that makes its own system calls on the fd while other threads may close the map
     * brackets them with {@link #acquireFd()} and {@link #releaseFd()} instead.
     *
     * @throws IllegalStateException when closed
     */
    public int fd() {
        return fd.get();
    }

    /**
     * Starts a call on the map's file descriptor and returns it: until the matching
     * {@link #releaseFd()}, closing the map (or its object) waits, so the fd stays this map's.
     * Pair every call with one {@code releaseFd()} in a {@code finally}, on the same handle, and
     * do not close the map in between. Allocation-free.
     *
     * @throws IllegalStateException when closed
     */
    public int acquireFd() {
        return fd.acquire();
    }

    /** Ends a call started by {@link #acquireFd()}. */
    public void releaseFd() {
        fd.release();
    }

    /** Reads the map's info from the kernel. */
    public MapInfo info() {
        return fd.call(InfoReader::mapInfo);
    }

    /** The kernel's id for this map. */
    public int id() {
        return info().id();
    }

    /** Pins the map at {@code path} (in a bpffs mount), under the directory rule of {@link Program#pin}. */
    public void pin(Path path) {
        fd.call(f -> {
            Pins.pin(f, path, "map " + name);
            return null;
        });
    }

    /** True once this map (or the object owning it) is closed. */
    public boolean isClosed() {
        return fd.isClosed();
    }

    /** Closes a map opened with {@link #openPinned} or made by {@link #create}; for a map of a {@link LoadedObject} this does nothing. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + ", " + type + ", key " + keySize + " B, value " + valueSize + " B, max "
                + maxEntries + (device == null ? "" : ", on " + device.name()) + "]";
    }
}

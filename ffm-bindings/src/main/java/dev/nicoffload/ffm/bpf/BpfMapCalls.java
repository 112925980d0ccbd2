package dev.nicoffload.ffm.bpf;

import dev.nicoffload.ffm.libbpf.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libbpf's map element functions ({@code bpf_map_lookup_elem}, {@code _update_elem},
 * {@code _delete_elem}, {@code _get_next_key}, {@code _lookup_batch}) as plain downcalls, plus
 * {@code bpf_btf_load} and a BTF-carrying {@code bpf_map_create}.
 * <p>
 * libbpf 1.x returns {@code -errno} from these functions, so no errno capture is needed and a call
 * allocates nothing: the handles are static finals and the caller passes the addresses of
 * preallocated buffers (see {@link MapBuffers}). Every method returns 0 (or an fd) on success and {@code -errno} on failure.
 * <p>
 * The element calls come in two kinds. For a map on the host the system call is short and never
 * waits on a device, so it is made as a <em>critical</em> downcall ({@code Linker.Option.critical}),
 * which skips the thread-state transitions around the call. For an offloaded map the kernel waits
 * for the device (an NFP answers through a control-message round trip), and a critical call
 * would hold off the JVM's safepoints meanwhile, so those use ordinary downcalls.
 */
public final class BpfMapCalls {

    /** {@code BPF_ANY}: create or replace. */
    public static final long BPF_ANY = 0;
    /** {@code BPF_NOEXIST}: create only. */
    public static final long BPF_NOEXIST = 1;
    /** {@code BPF_EXIST}: replace only. */
    public static final long BPF_EXIST = 2;

    private static final MethodHandle LOOKUP;
    private static final MethodHandle UPDATE;
    private static final MethodHandle DELETE;
    private static final MethodHandle NEXT_KEY;
    private static final MethodHandle LOOKUP_HOST;
    private static final MethodHandle UPDATE_HOST;
    private static final MethodHandle DELETE_HOST;
    private static final MethodHandle NEXT_KEY_HOST;
    private static final MethodHandle LOOKUP_BATCH;
    private static final MethodHandle BTF_LOAD;
    private static final MethodHandle MAP_CREATE;
    private static final long MAP_CREATE_OPTS_SIZE = 48;

    static {
        LibBpf.ensureLoaded();
        Linker linker = Linker.nativeLinker();
        // pointers are passed as plain addresses (x86-64: a pointer is a 64-bit integer): the
        // buffers' owner keeps them alive, and no per-call session bookkeeping is needed
        FunctionDescriptor keyValue = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        FunctionDescriptor keyValueFlags = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        FunctionDescriptor keyOnly = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG);
        Linker.Option critical = Linker.Option.critical(false);
        LOOKUP = handle(linker, "bpf_map_lookup_elem", keyValue);
        UPDATE = handle(linker, "bpf_map_update_elem", keyValueFlags);
        DELETE = handle(linker, "bpf_map_delete_elem", keyOnly);
        NEXT_KEY = handle(linker, "bpf_map_get_next_key", keyValue);
        LOOKUP_HOST = handle(linker, "bpf_map_lookup_elem", keyValue, critical);
        UPDATE_HOST = handle(linker, "bpf_map_update_elem", keyValueFlags, critical);
        DELETE_HOST = handle(linker, "bpf_map_delete_elem", keyOnly, critical);
        NEXT_KEY_HOST = handle(linker, "bpf_map_get_next_key", keyValue, critical);
        LOOKUP_BATCH = handle(linker, "bpf_map_lookup_batch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        BTF_LOAD = handle(linker, "bpf_btf_load", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        MAP_CREATE = handle(linker, "bpf_map_create",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    private BpfMapCalls() {
    }

    private static MethodHandle handle(Linker linker, String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = SymbolLookup.loaderLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError(name + " missing from libbpf"));
        return linker.downcallHandle(sym, fd, options);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    /**
     * {@code bpf_map_lookup_elem(fd, key, value)}: 0 or {@code -errno}; {@code host}: a critical call.
     * The addresses must stay valid during the call (the caller keeps their memory reachable).
     */
    public static int lookup(int fd, long key, long value, boolean host) {
        try {
            return host ? (int) LOOKUP_HOST.invokeExact(fd, key, value) : (int) LOOKUP.invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code bpf_map_update_elem(fd, key, value, flags)}: 0 or {@code -errno}; {@code host}: a critical call. */
    public static int update(int fd, long key, long value, long flags, boolean host) {
        try {
            return host ? (int) UPDATE_HOST.invokeExact(fd, key, value, flags)
                    : (int) UPDATE.invokeExact(fd, key, value, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code bpf_map_delete_elem(fd, key)}: 0 or {@code -errno}; {@code host}: a critical call. */
    public static int delete(int fd, long key, boolean host) {
        try {
            return host ? (int) DELETE_HOST.invokeExact(fd, key) : (int) DELETE.invokeExact(fd, key);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code bpf_map_get_next_key(fd, key, next)}; {@code key} may be 0 ({@code NULL}) for the first key;
     * {@code host}: a critical call.
     */
    public static int nextKey(int fd, long key, long next, boolean host) {
        try {
            return host ? (int) NEXT_KEY_HOST.invokeExact(fd, key, next) : (int) NEXT_KEY.invokeExact(fd, key, next);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * One {@code BPF_MAP_LOOKUP_BATCH} of up to {@code count} entries from the start of the map.
     *
     * @return 0, or {@code -errno} (ENOENT also means "reached the end"); the number read is not
     *         returned: callers use this to probe support (offloaded maps answer ENOTSUPP, 524)
     */
    public static int lookupBatchProbe(int fd, int keySize, int valueSize, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(Math.max(keySize, 8), 8);
            MemorySegment keys = arena.allocate((long) keySize * count, 8);
            MemorySegment values = arena.allocate((long) valueSize * count, 8);
            MemorySegment n = arena.allocateFrom(JAVA_INT, count);
            return (int) LOOKUP_BATCH.invokeExact(fd, MemorySegment.NULL, out, keys, values, n, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code bpf_btf_load(blob, size, NULL)}: a BTF object fd or {@code -errno}. */
    public static int btfLoad(byte[] blob) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(blob.length, 8);
            data.copyFrom(MemorySegment.ofArray(blob));
            return (int) BTF_LOAD.invokeExact(data, (long) blob.length, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * libbpf's {@code bpf_map_create} with BTF type ids in its options (which offloaded maps refuse
     * with ENOTSUPP, 524). {@code struct bpf_map_create_opts} of libbpf 1.1.2 is 48 bytes:
     * {@code btf_fd} at 8, {@code btf_key_type_id} 12, {@code btf_value_type_id} 16, {@code map_ifindex} 44.
     *
     * @return the new fd, or {@code -errno}
     */
    public static int mapCreateWithBtf(int type, int keySize, int valueSize, int maxEntries, int ifindex,
                                       int btfFd, int keyTypeId, int valueTypeId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(MAP_CREATE_OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, MAP_CREATE_OPTS_SIZE);
            opts.set(JAVA_INT, 8, btfFd);
            opts.set(JAVA_INT, 12, keyTypeId);
            opts.set(JAVA_INT, 16, valueTypeId);
            opts.set(JAVA_INT, 44, ifindex);
            return (int) MAP_CREATE.invokeExact(type, MemorySegment.NULL, keySize, valueSize, maxEntries, opts);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}

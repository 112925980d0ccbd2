package dev.nicoffload.ffm.libbpf;

import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.libc.SysResult;
import me.bechberger.ebpf.bpf.raw.Lib;
import me.bechberger.ebpf.bpf.raw.bpf_object_open_opts;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libbpf.so.1 functions nicoffload uses. Calls go through the jextract bindings of
 * {@code me.bechberger:rawbpf} where their declarations match libbpf 1.1.2; functions that report
 * failure only through errno (those returning pointers) use this class's own errno-capturing handles.
 * <p>
 * libbpf 1.x int functions return {@code -errno} on failure; the wrappers here pass that through
 * unchanged. Pointer arguments and results are raw {@link MemorySegment}s: this is internal API,
 * the offload module wraps them in owned handles.
 */
public final class LibBpf {

    /** Where libbpf.so.1 is looked for, in order, after the {@code nicoffload.libbpf} system property. */
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libbpf.so.1", "/lib/x86_64-linux-gnu/libbpf.so.1",
            "/usr/lib64/libbpf.so.1", "/usr/lib/libbpf.so.1", "/lib64/libbpf.so.1");

    private static volatile boolean loaded;
    private static MethodHandle openMem;

    private LibBpf() {
    }

    /**
     * Loads libbpf.so.1 into this class loader (once) so that rawbpf's symbol lookup finds it, and
     * installs the print callback. Throws {@link UnsatisfiedLinkError} naming the paths tried.
     */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (LibBpf.class) {
            if (loaded) {
                return;
            }
            List<String> tried = new ArrayList<>();
            String override = System.getProperty("nicoffload.libbpf");
            List<String> paths = new ArrayList<>();
            if (override != null && !override.isBlank()) {
                paths.add(override);
            }
            paths.addAll(CANDIDATES);
            String found = null;
            for (String p : paths) {
                tried.add(p);
                if (Files.isRegularFile(Path.of(p))) {
                    found = p;
                    break;
                }
            }
            if (found == null) {
                throw new UnsatisfiedLinkError("libbpf.so.1 not found (install libbpf1); tried " + tried);
            }
            System.load(found);
            MemorySegment sym = SymbolLookup.loaderLookup().find("bpf_object__open_mem")
                    .orElseThrow(() -> new UnsatisfiedLinkError("bpf_object__open_mem missing from libbpf"));
            openMem = LibC.capturingHandle(sym, FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
            LibBpfLog.install();
            loaded = true;
        }
    }

    /** True when libbpf exports {@code symbol} (feature detection without calling). */
    public static boolean hasSymbol(String symbol) {
        ensureLoaded();
        return SymbolLookup.loaderLookup().find(symbol).isPresent();
    }

    /** Reads a NUL-terminated C string returned by libbpf; null for NULL. */
    public static String string(MemorySegment cString) {
        if (cString.equals(MemorySegment.NULL)) {
            return null;
        }
        return cString.reinterpret(4096).getString(0);
    }

    // ---- objects ----------------------------------------------------------------------------

    /**
     * {@code bpf_object__open_mem}: opens an ELF image that stays valid in {@code elf} until the
     * object is loaded. Returns the object pointer, or a {@link SysResult} with the errno.
     */
    public static OpenResult openMem(MemorySegment elf, String objectName) {
        ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = bpf_object_open_opts.allocate(arena);
            bpf_object_open_opts.sz(opts, bpf_object_open_opts.sizeof());
            bpf_object_open_opts.object_name(opts, arena.allocateFrom(objectName));
            MemorySegment cs = LibC.newCaptureState(arena);
            MemorySegment obj = (MemorySegment) openMem.invokeExact(cs, elf, elf.byteSize(), opts);
            if (obj.equals(MemorySegment.NULL)) {
                return new OpenResult(MemorySegment.NULL, LibC.errno(cs));
            }
            return new OpenResult(obj, 0);
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /**
     * Result of {@link #openMem}: the object, or NULL and the errno.
     *
     * @param object the {@code struct bpf_object *}, NULL on failure
     * @param errno  the errno on failure, else 0
     */
    public record OpenResult(MemorySegment object, int errno) {
    }

    /** {@code bpf_object__load}; 0 or {@code -errno}. */
    public static int objectLoad(MemorySegment obj) {
        return Lib.bpf_object__load(obj);
    }

    /** {@code bpf_object__close}. */
    public static void objectClose(MemorySegment obj) {
        Lib.bpf_object__close(obj);
    }

    /** {@code bpf_object__next_program}; NULL after the last. */
    public static MemorySegment nextProgram(MemorySegment obj, MemorySegment prev) {
        return Lib.bpf_object__next_program(obj, prev);
    }

    /** {@code bpf_object__next_map}; NULL after the last. */
    public static MemorySegment nextMap(MemorySegment obj, MemorySegment prev) {
        return Lib.bpf_object__next_map(obj, prev);
    }

    // ---- programs ---------------------------------------------------------------------------

    /** {@code bpf_program__name}. */
    public static String programName(MemorySegment prog) {
        return string(Lib.bpf_program__name(prog));
    }

    /** {@code bpf_program__section_name}. */
    public static String programSection(MemorySegment prog) {
        return string(Lib.bpf_program__section_name(prog));
    }

    /** {@code bpf_program__type} (enum bpf_prog_type). */
    public static int programType(MemorySegment prog) {
        return Lib.bpf_program__type(prog);
    }

    /** {@code bpf_program__flags} (prog_flags passed to BPF_PROG_LOAD). */
    public static int programFlags(MemorySegment prog) {
        return Lib.bpf_program__flags(prog);
    }

    /** {@code bpf_program__set_ifindex}: bind the program to a netdev at load time. */
    public static void programSetIfindex(MemorySegment prog, int ifindex) {
        Lib.bpf_program__set_ifindex(prog, ifindex);
    }

    /** {@code bpf_program__fd}; negative before load. */
    public static int programFd(MemorySegment prog) {
        return Lib.bpf_program__fd(prog);
    }

    // ---- maps -------------------------------------------------------------------------------

    /** {@code bpf_map__name}. */
    public static String mapName(MemorySegment map) {
        return string(Lib.bpf_map__name(map));
    }

    /** {@code bpf_map__type} (enum bpf_map_type). */
    public static int mapType(MemorySegment map) {
        return Lib.bpf_map__type(map);
    }

    /** {@code bpf_map__key_size}. */
    public static int mapKeySize(MemorySegment map) {
        return Lib.bpf_map__key_size(map);
    }

    /** {@code bpf_map__value_size}. */
    public static int mapValueSize(MemorySegment map) {
        return Lib.bpf_map__value_size(map);
    }

    /** {@code bpf_map__max_entries}. */
    public static int mapMaxEntries(MemorySegment map) {
        return Lib.bpf_map__max_entries(map);
    }

    /** {@code bpf_map__map_flags}. */
    public static int mapFlags(MemorySegment map) {
        return Lib.bpf_map__map_flags(map);
    }

    /** {@code bpf_map__set_ifindex}; 0 or {@code -errno} (EBUSY after load). */
    public static int mapSetIfindex(MemorySegment map, int ifindex) {
        return Lib.bpf_map__set_ifindex(map, ifindex);
    }

    /** {@code bpf_map__reuse_fd}: use an already created map instead of creating one at load. */
    public static int mapReuseFd(MemorySegment map, int fd) {
        return Lib.bpf_map__reuse_fd(map, fd);
    }

    /** {@code bpf_map__fd}; negative before load. */
    public static int mapFd(MemorySegment map) {
        return Lib.bpf_map__fd(map);
    }

    // ---- ids, fds, info, pins ---------------------------------------------------------------

    /** {@code bpf_obj_get_info_by_fd}; 0 or {@code -errno}. {@code info} must hold {@code lenInOut}'s value. */
    public static int objGetInfoByFd(int fd, MemorySegment info, MemorySegment lenInOut) {
        return Lib.bpf_obj_get_info_by_fd(fd, info, lenInOut);
    }

    /** {@code bpf_prog_get_next_id}; 0 or {@code -errno} (ENOENT after the last). */
    public static int progGetNextId(int start, MemorySegment next) {
        return Lib.bpf_prog_get_next_id(start, next);
    }

    /** {@code bpf_map_get_next_id}; 0 or {@code -errno} (ENOENT after the last). */
    public static int mapGetNextId(int start, MemorySegment next) {
        return Lib.bpf_map_get_next_id(start, next);
    }

    /** {@code bpf_prog_get_fd_by_id}; fd or {@code -errno}. */
    public static int progGetFdById(int id) {
        return Lib.bpf_prog_get_fd_by_id(id);
    }

    /** {@code bpf_map_get_fd_by_id}; fd or {@code -errno}. */
    public static int mapGetFdById(int id) {
        return Lib.bpf_map_get_fd_by_id(id);
    }

    /** {@code bpf_obj_pin}; 0 or {@code -errno}. */
    public static int objPin(int fd, MemorySegment path) {
        return Lib.bpf_obj_pin(fd, path);
    }

    /** {@code bpf_obj_get}; fd or {@code -errno}. */
    public static int objGet(MemorySegment path) {
        return Lib.bpf_obj_get(path);
    }

    /** {@code bpf_xdp_query}; 0 or {@code -errno}. {@code opts} is laid out as {@code BpfLayouts.XDP_QUERY_OPTS}. */
    public static int xdpQuery(int ifindex, int flags, MemorySegment opts) {
        return Lib.bpf_xdp_query(ifindex, flags, opts);
    }

    static MemorySegment setPrint(MemorySegment fn) {
        return Lib.libbpf_set_print(fn);
    }

}

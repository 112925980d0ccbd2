package dev.nicoffload.ffm.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc functions nicoffload calls directly, each as an errno-capturing downcall.
 * Every method returns a {@link SysResult} (value and the errno of that very call); nothing here
 * throws for a failed call, callers decide what a failure means.
 */
public final class LibC {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_NETLINK}. */
    public static final int AF_NETLINK = 16;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_RAW}. */
    public static final int SOCK_RAW = 3;
    /** {@code SOCK_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code x86_64 __NR_bpf}. */
    public static final long SYS_BPF = 321;

    private static final MethodHandle IF_NAMETOINDEX = capturing("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle IF_INDEXTONAME = capturing("if_indextoname", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle SOCKET = capturing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = capturing("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = capturing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = capturing("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = capturing("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SCHED_SETAFFINITY = capturing("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle SCHED_GETCPU = capturing("sched_getcpu", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle IOCTL = capturingVariadic("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle SYSCALL3 = capturingVariadic("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), 1);
    private static final MethodHandle GETEUID = LINKER.downcallHandle(
            LINKER.defaultLookup().find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle VSNPRINTF = LINKER.downcallHandle(
            LINKER.defaultLookup().find("vsnprintf").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

    private LibC() {
    }

    private static MethodHandle capturing(String name, FunctionDescriptor fd) {
        MemorySegment addr = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(addr, fd, CAPTURE_ERRNO);
    }

    private static MethodHandle capturingVariadic(String name, FunctionDescriptor fd, int firstVariadic) {
        MemorySegment addr = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(addr, fd, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** Builds an errno-capturing downcall for a symbol found by {@code lookup} (used for libbpf functions returning pointers). */
    public static MethodHandle capturingHandle(MemorySegment symbol, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol, fd, CAPTURE_ERRNO);
    }

    /** Allocates the capture-state segment an errno-capturing handle takes as its first argument. */
    public static MemorySegment newCaptureState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** Reads errno from a capture-state segment filled by an errno-capturing call. */
    public static int errno(MemorySegment captureState) {
        return (int) ERRNO.get(captureState, 0L);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** {@code if_nametoindex(name)}: 0 and errno ENODEV when no such interface exists in the caller's netns. */
    public static SysResult ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) IF_NAMETOINDEX.invokeExact(cs, arena.allocateFrom(name));
            return r == 0 ? new SysResult(-1, errno(cs)) : new SysResult(Integer.toUnsignedLong(r), 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code if_indextoname(index)} in the caller's netns, or empty when the index is unknown there. */
    public static Optional<String> ifIndexToName(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            MemorySegment buf = arena.allocate(16);
            MemorySegment r = (MemorySegment) IF_INDEXTONAME.invokeExact(cs, index, buf);
            return r.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(buf.getString(0));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code socket(domain, type, protocol)}. */
    public static SysResult socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) SOCKET.invokeExact(cs, domain, type, protocol);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code setsockopt} with an int option value. */
    public static SysResult setSockOptInt(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) SETSOCKOPT.invokeExact(cs, fd, level, option, arena.allocateFrom(JAVA_INT, value), 4);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code setsockopt} with a struct option value ({@code value.byteSize()} bytes). */
    public static SysResult setSockOpt(int fd, int level, int option, MemorySegment value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) SETSOCKOPT.invokeExact(cs, fd, level, option, value, (int) value.byteSize());
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code bind(fd, addr, addr.byteSize())}. */
    public static SysResult bind(int fd, MemorySegment addr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) BIND.invokeExact(cs, fd, addr, (int) addr.byteSize());
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code send(fd, buf, buf.byteSize(), 0)}. */
    public static SysResult send(int fd, MemorySegment buf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            long r = (long) SEND.invokeExact(cs, fd, buf, buf.byteSize(), 0);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code recv(fd, buf, buf.byteSize(), flags)}. */
    public static SysResult recv(int fd, MemorySegment buf, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            long r = (long) RECV.invokeExact(cs, fd, buf, buf.byteSize(), flags);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code close(fd)}. */
    public static SysResult close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) CLOSE.invokeExact(cs, fd);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(fd, request, arg)} with a pointer argument. */
    public static SysResult ioctl(int fd, long request, MemorySegment arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) IOCTL.invokeExact(cs, fd, request, arg);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code syscall(__NR_bpf, cmd, attr, size)}: the raw bpf(2) system call. */
    public static SysResult bpf(int cmd, MemorySegment attr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            long r = (long) SYSCALL3.invokeExact(cs, SYS_BPF, (long) cmd, attr, attr.byteSize());
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code geteuid()}: the caller's effective user id (the call cannot fail). */
    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code vsnprintf(buf, buf.byteSize(), format, ap)}: formats a {@code va_list} once. */
    public static int vsnprintf(MemorySegment buf, MemorySegment format, MemorySegment vaList) {
        try {
            return (int) VSNPRINTF.invokeExact(buf, buf.byteSize(), format, vaList);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code sched_setaffinity(0, ...)}: pins the calling thread (the Java thread making the call) to
     * the one CPU {@code cpu} (0..1023).
     */
    public static SysResult pinCurrentThreadToCpu(int cpu) {
        if (cpu < 0 || cpu >= 1024) {
            throw new IllegalArgumentException("cpu out of range 0..1023: " + cpu);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            MemorySegment mask = arena.allocate(128, 8); // cpu_set_t: 1024 bits
            mask.set(JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
            int r = (int) SCHED_SETAFFINITY.invokeExact(cs, 0, mask.byteSize(), mask);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code sched_getcpu()}: the CPU the calling thread runs on now. */
    public static SysResult currentCpu() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCaptureState(arena);
            int r = (int) SCHED_GETCPU.invokeExact(cs);
            return new SysResult(r, r < 0 ? errno(cs) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}

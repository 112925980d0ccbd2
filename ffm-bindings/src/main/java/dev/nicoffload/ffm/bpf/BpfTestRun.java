package dev.nicoffload.ffm.bpf;

import dev.nicoffload.ffm.libbpf.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libbpf's {@code bpf_prog_test_run_opts}: runs a loaded host program on a packet, {@code repeat}
 * times, in the kernel ({@code BPF_PROG_TEST_RUN}). Offloaded programs cannot be test-run (ENOTSUPP,
 * 524); their host twins can, which is how map updates made by a program are exercised without a
 * data path.
 */
public final class BpfTestRun {

    /** {@code sizeof(struct bpf_test_run_opts)} in libbpf 1.1.2. */
    private static final long OPTS_SIZE = 80;
    private static final MethodHandle TEST_RUN;

    static {
        LibBpf.ensureLoaded();
        MemorySegment sym = SymbolLookup.loaderLookup().find("bpf_prog_test_run_opts")
                .orElseThrow(() -> new UnsatisfiedLinkError("bpf_prog_test_run_opts missing from libbpf"));
        TEST_RUN = Linker.nativeLinker().downcallHandle(sym, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    private BpfTestRun() {
    }

    /**
     * Runs program {@code progFd} on {@code packet} {@code repeat} times.
     *
     * @return the program's return value of the last run ({@code >= 0}), or {@code -errno}
     */
    public static long run(int progFd, byte[] packet, int repeat) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, packet.length), 8);
            data.copyFrom(MemorySegment.ofArray(packet));
            MemorySegment opts = arena.allocate(OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, OPTS_SIZE);                 // sz
            opts.set(ADDRESS, 8, data);                        // data_in
            opts.set(JAVA_INT, 24, packet.length);             // data_size_in
            opts.set(JAVA_INT, 60, repeat);                    // repeat
            int rc = (int) TEST_RUN.invokeExact(progFd, opts);
            return rc < 0 ? rc : Integer.toUnsignedLong(opts.get(JAVA_INT, 56)); // retval
        } catch (Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /**
     * The outcome of one {@link #runOnce} call.
     *
     * @param errno    0 when the run happened, else the errno of {@code BPF_PROG_TEST_RUN} (e.g. EINVAL
     *                 for a packet shorter than the program type accepts); the other fields are then empty
     * @param retval   the program's return value
     * @param dataOut  the packet as the program left it ({@code data_out}, {@code data_size_out} bytes)
     */
    public record Result(int errno, long retval, byte[] dataOut) {
        /** True when the kernel ran the program. */
        public boolean ran() {
            return errno == 0;
        }
    }

    /**
     * Runs program {@code progFd} once on {@code packet} on the calling thread's CPU and returns its
     * return value and the packet it leaves ({@code data_out}, up to {@code outCapacity} bytes; a
     * longer output is an ENOSPC result, as the kernel reports it).
     */
    public static Result runOnce(int progFd, byte[] packet, int outCapacity) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, packet.length), 8);
            data.copyFrom(MemorySegment.ofArray(packet));
            MemorySegment out = arena.allocate(Math.max(1, outCapacity), 8);
            MemorySegment opts = arena.allocate(OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, OPTS_SIZE);                 // sz
            opts.set(ADDRESS, 8, data);                        // data_in
            opts.set(ADDRESS, 16, out);                        // data_out
            opts.set(JAVA_INT, 24, packet.length);             // data_size_in
            opts.set(JAVA_INT, 28, outCapacity);               // data_size_out (in: capacity)
            opts.set(JAVA_INT, 60, 1);                         // repeat
            int rc = (int) TEST_RUN.invokeExact(progFd, opts);
            if (rc < 0) {
                return new Result(-rc, 0, new byte[0]);
            }
            int outLen = Math.min(opts.get(JAVA_INT, 28), outCapacity);
            return new Result(0, Integer.toUnsignedLong(opts.get(JAVA_INT, 56)), out.asSlice(0, outLen).toArray(JAVA_BYTE));
        } catch (Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }
}

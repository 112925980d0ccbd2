package dev.nicoffload.ffm.libbpf;

import dev.nicoffload.ffm.libc.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * libbpf's print callback ({@code libbpf_set_print}), installed once per JVM. Every line libbpf
 * prints goes to the {@link Collector} opened on the thread that made the libbpf call, so
 * concurrent operations never mix their logs; lines printed with no collector open go to the
 * {@code dev.nicoffload.libbpf} {@link System.Logger} at DEBUG level.
 */
public final class LibBpfLog {

    /** libbpf's {@code enum libbpf_print_level}. */
    public enum Level {
        /** {@code LIBBPF_WARN}. */
        WARN,
        /** {@code LIBBPF_INFO}. */
        INFO,
        /** {@code LIBBPF_DEBUG}. */
        DEBUG
    }

    /**
     * One formatted libbpf print call (may span several text lines, e.g. a verifier log block).
     *
     * @param level the libbpf level
     * @param text  the formatted text, as printed
     */
    public record Line(Level level, String text) {
    }

    /** Collects what libbpf prints on this thread while open; closing restores the previous collector. */
    public static final class Collector implements AutoCloseable {
        private final List<Line> lines = new ArrayList<>();
        private final Collector previous;
        private boolean closed;

        private Collector(Collector previous) {
            this.previous = previous;
        }

        /** Every print call collected so far, in order. */
        public List<Line> lines() {
            return List.copyOf(lines);
        }

        /** All collected text concatenated. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            for (Line l : lines) {
                sb.append(l.text());
            }
            return sb.toString();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                CURRENT.set(previous);
            }
        }
    }

    private static final ThreadLocal<Collector> CURRENT = new ThreadLocal<>();
    private static final long BUFFER_SIZE = 1 << 20;
    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BUFFER_SIZE));
    private static final System.Logger LOGGER = System.getLogger("dev.nicoffload.libbpf");

    private LibBpfLog() {
    }

    /** Opens a collector for libbpf output on the current thread; use with try-with-resources. */
    public static Collector collect() {
        LibBpf.ensureLoaded();
        Collector c = new Collector(CURRENT.get());
        CURRENT.set(c);
        return c;
    }

    static void install() {
        try {
            var target = MethodHandles.lookup().findStatic(LibBpfLog.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            // libbpf keeps the function pointer for the life of the process: the stub lives in the global arena
            MemorySegment stub = Linker.nativeLinker().upcallStub(target,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            LibBpf.setPrint(stub);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private static int print(int level, MemorySegment format, MemorySegment vaList) {
        // an exception escaping an upcall terminates the JVM: catch everything
        try {
            MemorySegment buf = BUFFER.get();
            int n = LibC.vsnprintf(buf, format, vaList);
            if (n < 0) {
                return 0;
            }
            String text = n >= BUFFER_SIZE
                    ? buf.getString(0) + "\n[libbpf message truncated: " + n + " bytes]\n"
                    : buf.getString(0);
            Level lvl = level >= 0 && level < Level.values().length ? Level.values()[level] : Level.DEBUG;
            Collector c = CURRENT.get();
            if (c != null) {
                c.lines.add(new Line(lvl, text));
            } else {
                LOGGER.log(System.Logger.Level.DEBUG, () -> "libbpf " + lvl + ": " + text.stripTrailing());
            }
            return n;
        } catch (Throwable t) {
            return 0;
        }
    }
}

package dev.nicoffload.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Progress of a long {@code map dump} on standard error, never on standard output (that stays the
 * dump). Shown by itself when a person is waiting with nothing on the screen: standard error is a
 * terminal and standard output is not (redirected to a file or a pipe); then one line is rewritten
 * in place every {@value #TERMINAL_EVERY} entries. {@code --progress} forces it anyway, as a plain
 * line every {@value #LINE_EVERY} entries unless that terminal case holds; {@code --no-progress}
 * turns it off. Dumps shorter than the first step print nothing.
 */
final class DumpProgress {
    /** Entries between two updates of the in-place line at a terminal. */
    static final int TERMINAL_EVERY = 1_000;
    /** Entries between two plain progress lines. */
    static final int LINE_EVERY = 10_000;

    /** How progress is shown. */
    enum Style {
        /** One line rewritten in place ({@code \r}). */
        TERMINAL,
        /** A plain line every {@value #LINE_EVERY} entries, for logs and captured output. */
        LINES,
        /** Nothing. */
        OFF
    }

    private final PrintStream err;
    private final Style style;
    private long entries;
    private boolean shown;

    DumpProgress(PrintStream err, Style style) {
        this.err = err;
        this.style = style;
    }

    /**
     * The style for the {@code --[no-]progress} option ({@code null} when not given) and where the
     * standard streams go.
     */
    static Style style(Boolean option, boolean stdoutIsTerminal, boolean stderrIsTerminal) {
        boolean waiting = stderrIsTerminal && !stdoutIsTerminal;
        if (Boolean.FALSE.equals(option)) {
            return Style.OFF;
        }
        if (waiting) {
            return Style.TERMINAL;
        }
        return Boolean.TRUE.equals(option) ? Style.LINES : Style.OFF;
    }

    /** Progress for this process's standard streams (System.err at the time of the call). */
    static DumpProgress forThisProcess(Boolean option) {
        return new DumpProgress(System.err, style(option, isTerminal(1), isTerminal(2)));
    }

    /** Whether file descriptor {@code fd} of this process is a terminal (Linux: what /proc says it points at). */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Counts one more entry written. */
    void entry() {
        entries++;
        switch (style) {
            case TERMINAL -> {
                if (entries % TERMINAL_EVERY == 0) {
                    err.print("\rmap dump: " + entries + " entries");
                    err.flush();
                    shown = true;
                }
            }
            case LINES -> {
                if (entries % LINE_EVERY == 0) {
                    err.println("map dump: " + entries + " entries");
                    shown = true;
                }
            }
            case OFF -> { }
        }
    }

    /** Ends the progress display (when any was shown) with the total; {@code complete} false: the dump failed. */
    void finish(boolean complete) {
        if (!shown) {
            return;
        }
        String end = "map dump: " + entries + " entries" + (complete ? ", done" : ", stopped by an error");
        err.println(style == Style.TERMINAL ? "\r" + end : end);
    }
}

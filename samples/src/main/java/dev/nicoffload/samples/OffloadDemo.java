package dev.nicoffload.samples;

import java.io.PrintStream;

/** The README demo, run inside the netdevsim guest by {@code ./nicoffload demo}. */
public final class OffloadDemo {
    private OffloadDemo() {
    }

    /** Runs the demo, printing to {@code out}; returns 0 on success. */
    public static int run(PrintStream out) {
        out.println("demo: in guest");
        return 0;
    }
}

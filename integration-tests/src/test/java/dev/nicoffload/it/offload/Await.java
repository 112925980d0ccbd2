package dev.nicoffload.it.offload;

import java.util.function.BooleanSupplier;

/** Polls a condition the kernel reaches asynchronously (deferred program/map destruction). */
public final class Await {

    private Await() {
    }

    /**
     * True as soon as {@code condition} holds; false if it still does not after 10 s. A condition
     * that throws (e.g. a debugfs entry vanishing while it is read) counts as not yet holding.
     */
    public static boolean until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (holds(condition)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return holds(condition);
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException racingWithTheKernel) {
            return false;
        }
    }
}

package dev.nicoffload.it.offload;

import java.util.function.BooleanSupplier;

/** Polls a condition the kernel reaches asynchronously (deferred program/map destruction). */
public final class Await {

    private Await() {
    }

    /** True as soon as {@code condition} holds; false if it still does not after 10 s. */
    public static boolean until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}

package dev.nicoffload.it.offload;

import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition the kernel reaches asynchronously (deferred program/map destruction). While
 * polling, an {@link UncheckedIOException} from the condition (a debugfs file of a program being
 * freed fails with EIO while it is read) counts as "not yet"; on the last check it propagates.
 */
public final class Await {

    private Await() {
    }

    /** True as soon as {@code condition} holds; false if it still does not after 10 s. */
    public static boolean until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (UncheckedIOException entryBeingRemoved) {
                // retry: the file vanished under the read
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

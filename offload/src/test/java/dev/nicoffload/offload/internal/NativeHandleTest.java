package dev.nicoffload.offload.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-use count of {@link NativeHandle} and the close semantics of {@link AttachmentState}. */
class NativeHandleTest {

    @Test
    void closeWaitsForTheCallInFlightAndRefusesNewCalls() throws Exception {
        AtomicInteger released = new AtomicInteger();
        NativeHandle h = new NativeHandle(new Object(), "test handle", released::incrementAndGet);
        h.acquire(); // a call in flight on this thread
        CountDownLatch closing = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            closing.countDown();
            h.close();
        });
        closer.start();
        closing.await();
        // wait until the closer has marked the handle closed (it then waits for the call)
        while (!h.isClosed()) {
            Thread.onSpinWait();
        }
        assertThrows(IllegalStateException.class, h::acquire, "no new call once closing has begun");
        closer.join(200);
        assertTrue(closer.isAlive(), "close must wait while a call is in flight");
        assertEquals(0, released.get(), "the resource must not be released under a call");
        h.release();
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(closer.isAlive());
        assertEquals(1, released.get());
        h.close();
        assertEquals(1, released.get(), "released exactly once");
    }

    @Test
    void nestedCallsAllDrainBeforeRelease() throws Exception {
        AtomicInteger released = new AtomicInteger();
        NativeHandle h = new NativeHandle(new Object(), "nested", released::incrementAndGet);
        h.acquire();
        h.acquire();
        Thread closer = new Thread(h::close);
        closer.start();
        h.release();
        closer.join(200);
        assertEquals(0, released.get(), "one call is still in flight");
        h.release();
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(1, released.get());
    }

    @Test
    void closeWithoutCallsReleasesAtOnce() {
        AtomicInteger released = new AtomicInteger();
        NativeHandle h = new NativeHandle(new Object(), "idle", released::incrementAndGet);
        h.acquire();
        h.release();
        h.close();
        assertEquals(1, released.get());
        assertTrue(h.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, h::acquire);
        assertTrue(e.getMessage().contains("idle is closed"), e.getMessage());
        h.close(); // a refused acquire must not disturb the count
        assertEquals(1, released.get());
    }

    @Test
    void refusedDetachLeavesTheAttachmentOpenAndRetryable() {
        AttachmentState state = new AttachmentState();
        AtomicInteger tries = new AtomicInteger();
        Runnable refused = () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("driver refused");
        };
        assertThrows(IllegalStateException.class, () -> state.close(refused));
        assertFalse(state.isClosed(), "a refused detach leaves the attachment open");
        assertThrows(IllegalStateException.class, () -> state.close(refused));
        assertEquals(2, tries.get(), "close retries the detach");
        state.close(tries::incrementAndGet);
        assertTrue(state.isClosed());
        state.close(tries::incrementAndGet);
        assertEquals(3, tries.get(), "after a successful detach close does nothing");
    }
}

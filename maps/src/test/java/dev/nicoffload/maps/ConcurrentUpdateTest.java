package dev.nicoffload.maps;

import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.error.KeyExistsException;
import dev.nicoffload.offload.info.MapType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One map shared by several threads (host kernel, root): every thread's writes to its own keys
 * land, each shared key is claimed by exactly one NO_EXIST winner, and no read ever returns bytes
 * written for another key (each thread has its own native buffers).
 */
class ConcurrentUpdateTest {

    private static final int THREADS = 6;
    private static final int OWN_KEYS = 300;
    private static final int SHARED_KEYS = 100;
    private static final int ROUNDS = 3;

    private static long valueOf(int key, int thread, int round) {
        return ((long) key << 32) | ((long) thread << 16) | round;
    }

    @Test
    void threadsUpdatingDisjointAndSharedKeysLoseNothing() throws Exception {
        int capacity = THREADS * OWN_KEYS + SHARED_KEYS;
        try (OffloadMap<Integer, Long> m = OffloadMap.createOnHost(MapType.HASH, "concurrent", Codecs.u32(),
                Codecs.u64(), capacity)) {
            NumericMap fast = m.numeric();
            AtomicIntegerArray winners = new AtomicIntegerArray(SHARED_KEYS);
            long[] winnerValue = new long[SHARED_KEYS];
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        int mismatches = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            for (int i = 0; i < OWN_KEYS; i++) {
                                int key = SHARED_KEYS + thread * OWN_KEYS + i;
                                if ((i & 1) == 0) {
                                    m.put(key, valueOf(key, thread, round));
                                } else {
                                    fast.put(key, valueOf(key, thread, round));
                                }
                                long back = (i & 2) == 0 ? m.get(key) : fast.get(key);
                                if (back != valueOf(key, thread, round)) {
                                    mismatches++;
                                }
                                int shared = (i + thread * 7) % SHARED_KEYS;
                                try {
                                    m.update(shared, valueOf(shared, thread, 0), UpdateMode.NO_EXIST);
                                    winners.incrementAndGet(shared);
                                    synchronized (winnerValue) {
                                        winnerValue[shared] = valueOf(shared, thread, 0);
                                    }
                                } catch (KeyExistsException lost) {
                                    // another thread claimed it first
                                }
                                long seen = fast.getOrDefault(shared, -1);
                                if (seen != -1 && (seen >>> 32) != shared) {
                                    mismatches++; // a value of another key: buffers crossed
                                }
                            }
                        }
                        return mismatches;
                    }));
                }
                for (Future<Integer> r : results) {
                    assertEquals(0, r.get(), "reads returned bytes of another write");
                }
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < OWN_KEYS; i++) {
                    int key = SHARED_KEYS + t * OWN_KEYS + i;
                    assertEquals(valueOf(key, t, ROUNDS - 1), m.get(key), "last write of thread " + t + " to key " + key);
                }
            }
            for (int k = 0; k < SHARED_KEYS; k++) {
                assertEquals(1, winners.get(k), "exactly one NO_EXIST winner for shared key " + k);
                synchronized (winnerValue) {
                    assertEquals(winnerValue[k], m.get(k));
                }
            }
            assertEquals(capacity, m.dump(capacity + 1).size());
            assertTrue(m.stream().allMatch(e -> (e.value() >>> 32) == e.key()));
        }
    }
}

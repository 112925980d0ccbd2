package dev.nicoffload.it.concurrency;

import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.NumericMap;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 item 1: a closed map handle never reaches another map. Each round creates map A, lets
 * a second thread write a round-unique value through A in a loop, closes A under that writer and
 * at once creates map B, which takes A's fd number (the lowest free one); B must never hold the
 * value written through A. {@code nicoffload.closeVsWrite.rounds} (default 10,000) sets the rounds
 * for host maps and again for netdevsim device maps. The writer must end each round with
 * {@link IllegalStateException} (the handle is closed) and nothing else.
 */
@ExtendWith(NetdevsimCleanup.class)
class CloseVsWriteTest {

    private static final int ROUNDS = Integer.getInteger("nicoffload.closeVsWrite.rounds", 10_000);

    /** A map factory: the host, or a netdevsim port. */
    private interface Maps {
        OffloadMap<Integer, Long> create(String name);
    }

    @Test
    void closingAHostMapUnderAWriterNeverWritesIntoTheMapThatReusesItsFd() throws Exception {
        run("host", name -> OffloadMap.createOnHost(MapType.ARRAY, name, Codecs.u32(), Codecs.u64(), 1));
    }

    @Test
    void closingADeviceMapUnderAWriterNeverWritesIntoTheMapThatReusesItsFd() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            run("netdevsim", name -> OffloadMap.create(eth, MapType.ARRAY, name, Codecs.u32(), Codecs.u64(), 1));
        }
    }

    private static void run(String kind, Maps maps) throws Exception {
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        int misdirected = 0;
        int reused = 0;
        Map<String, Integer> writerEnds = new TreeMap<>();
        long t0 = System.nanoTime();
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                long mark = 0x5eed_0000_0000_0000L | round;
                OffloadMap<Integer, Long> a = maps.create("cvw_a");
                int fdA = a.handle().fd();
                NumericMap writer = a.numeric();
                CountDownLatch writing = new CountDownLatch(1);
                Future<String> end = writerThread.submit(() -> write(writer, mark, writing));
                assertTrue(writing.await(1, TimeUnit.MINUTES), "the writer started");
                a.close();
                try (OffloadMap<Integer, Long> b = maps.create("cvw_b")) {
                    if (b.handle().fd() == fdA) {
                        reused++;
                    }
                    writerEnds.merge(end.get(1, TimeUnit.MINUTES), 1, Integer::sum);
                    if (b.numeric().getOrDefault(0, 0) == mark) {
                        misdirected++;
                    }
                }
            }
        } finally {
            writerThread.shutdownNow();
            assertTrue(writerThread.awaitTermination(1, TimeUnit.MINUTES));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[close-vs-write] %s maps: %d rounds in %.1f s, fd reused in %d, writes into the new map %d,"
                + " writer ends %s%n", kind, ROUNDS, seconds, reused, misdirected, writerEnds);
        assertTrue(reused >= ROUNDS * 9 / 10, "the new map took the closed map's fd in most rounds: " + reused + " of " + ROUNDS);
        assertEquals(0, misdirected, "writes through a closed " + kind + " map that landed in the map that reused its fd"
                + " (" + ROUNDS + " rounds; writer ends " + writerEnds + ")");
        assertEquals(Map.of("IllegalStateException", ROUNDS), writerEnds,
                "every writer ends on the closed handle, never on another error");
    }

    /** Writes {@code mark} until the handle refuses; returns how the loop ended. */
    private static String write(NumericMap map, long mark, CountDownLatch writing) {
        try {
            while (true) {
                map.put(0, mark);
                writing.countDown();
            }
        } catch (IllegalStateException closed) {
            return "IllegalStateException";
        } catch (RuntimeException other) {
            return other.getClass().getSimpleName() + (other.getMessage() != null && other.getMessage().contains("EBADF") ? " EBADF" : "");
        } finally {
            writing.countDown();
        }
    }
}

package dev.nicoffload.it.concurrency;

import dev.nicoffload.NicOffload;
import dev.nicoffload.it.offload.Await;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads, HW attaches, info queries and map updates/lookups from several threads on several netdevsim devices at
 * once: each thread owns one port and checks after every step that the kernel shows its own
 * program there (no corruption), and the whole run is bounded (no deadlock).
 * {@code nicoffload.concurrency.rounds} (default 15) sets the rounds per thread.
 */
@ExtendWith(NetdevsimCleanup.class)
class ConcurrentOffloadTest {

    @Test
    void loadsAttachesAndMapQueriesFromSeveralThreadsOnSeveralDevices() throws Exception {
        int rounds = Integer.getInteger("nicoffload.concurrency.rounds", 15);
        try (NetdevsimDevice a = NetdevsimDevice.create(2); NetdevsimDevice b = NetdevsimDevice.create(2)) {
            List<NetdevsimPort> ports = List.of(a.port(0), a.port(1), b.port(0), b.port(1));
            ExecutorService pool = Executors.newFixedThreadPool(ports.size());
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (NetdevsimPort port : ports) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return work(port, rounds);
                    }));
                }
                go.countDown();
                for (Future<Integer> f : results) {
                    assertEquals(rounds, f.get(10, TimeUnit.MINUTES), "rounds done");
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES), "worker threads ended");
            }
            for (NetdevsimPort port : ports) {
                assertEquals(0, port.offloadedProgramId(), port + " left clean");
                assertTrue(Xdp.query(NicOffload.device(port.name())).none());
            }
            assertTrue(Await.until(() -> a.boundPrograms().isEmpty() && b.boundPrograms().isEmpty()), "nothing left bound");
        }
    }

    private static int work(NetdevsimPort port, int rounds) {
        OffloadDevice eth = NicOffload.device(port.name());
        int done = 0;
        for (int i = 0; i < rounds; i++) {
            SampleObjects sample = (i & 1) == 0 ? SampleObjects.XDP_PASS : SampleObjects.XDP_MAPS_RET0;
            try (LoadedObject obj = NicOffload.load(sample.bytes(), LoadOptions.offloadTo(eth))) {
                Program p = obj.program(sample.baseName());
                ProgramInfo info = p.info();
                check(info.ifindex() == eth.ifindex(), port, "bound to another port: " + info);
                try (XdpAttachment hw = p.attachXdp(eth, XdpMode.HW)) {
                    check(port.offloadedProgramId() == p.id(), port, "offloaded id " + port.offloadedProgramId() + " != " + p.id());
                    check(Xdp.query(eth).programId(XdpMode.HW) == p.id(), port, "query disagrees");
                    for (var m : obj.maps()) {
                        MapInfo mi = m.info();
                        check(mi.ifindex() == eth.ifindex() && mi.maxEntries() == 2 && info.mapIds().contains(mi.id()), port,
                                "map info " + mi);
                        OffloadMap<Integer, Long> view = OffloadMap.of(m, Codecs.u32(), Codecs.u64());
                        long mine = ((long) eth.ifindex() << 32) | i;
                        view.put(1, mine);
                        check(view.get(1) == mine, port, "map " + mi.name() + " read back " + view.get(1) + ", wrote " + mine);
                    }
                }
                check(port.offloadedProgramId() == 0, port, "still offloaded after detach");
            }
            done++;
        }
        return done;
    }

    private static void check(boolean ok, NetdevsimPort port, String what) {
        if (!ok) {
            throw new AssertionError(port + ": " + what);
        }
    }
}

package dev.nicoffload.it.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nicoffload.NicOffload;
import dev.nicoffload.ffm.bpf.BpfTestRun;
import dev.nicoffload.maps.AtomicCounters;
import dev.nicoffload.maps.CounterWord;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.samples.bpf.SampleObjects;
import org.junit.jupiter.api.Test;

/**
 * The counter view over words the program itself adds to with {@code __sync_fetch_and_add}:
 * netdevsim has no data path, so the sample's host twin is run with {@code BPF_PROG_TEST_RUN}
 * (through the internal binding; this test runs on the class path) and the view reads what the
 * atomic adds summed up.
 */
class ProgramCountersTest {

    private static final int XDP_PASS = 2;

    @Test
    void countersReadWhatTheProgramsAtomicAddsSummedAndResetToZero() {
        try (LoadedObject host = NicOffload.load(SampleObjects.XDP_COUNTER.bytes(), LoadOptions.host())) {
            AtomicCounters<Integer> packets = OffloadMap.of(host, "packets", Codecs.u32(), Codecs.u64())
                    .withCounters(CounterWord.u64(0)).counters();
            int fd = host.program("xdp_counter").fd();
            byte[] frame = new byte[64];
            assertEquals(XDP_PASS, BpfTestRun.run(fd, frame, 1000));
            assertEquals(1000, packets.get(0));
            assertEquals(0, packets.get(1), "the program adds to slot 0 only");
            packets.reset(0);
            assertEquals(0, packets.get(0));
            assertEquals(XDP_PASS, BpfTestRun.run(fd, frame, 5));
            assertEquals(5, packets.get(0));
            assertEquals(5, packets.sum(0));
        }
    }
}

package dev.nicoffload.it.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.NotSupportedException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.error.VerifierRejectedException;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.BoundProgram;
import dev.nicoffload.testing.netdevsim.DeviceKnob;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.PortKnob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** NicOffload.load bound to netdevsim: maps on the device without BTF, host twins, refusals with errno and log. */
@ExtendWith(NetdevsimCleanup.class)
class OffloadLoadTest {

    @Test
    void hashAndArrayMapsAreCreatedOnTheDeviceWithoutBtf() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth))) {
                ProgramInfo prog = obj.program("xdp_maps_ret0").info();
                for (String name : List.of("htab", "array")) {
                    BpfMap m = obj.map(name);
                    assertEquals(eth, m.device().orElseThrow());
                    MapInfo info = m.info();
                    assertTrue(info.offloaded());
                    assertEquals(eth.ifindex(), info.ifindex());
                    assertEquals(eth.name(), info.ifname().orElseThrow());
                    assertEquals(prog.netnsIno(), info.netnsIno());
                    assertEquals(prog.netnsDev(), info.netnsDev());
                    assertEquals(0, info.btfId(), "offloaded maps carry no BTF");
                    assertEquals(2, info.maxEntries());
                    assertTrue(prog.mapIds().contains(info.id()));
                }
                assertEquals(MapType.HASH, obj.map("htab").type());
                assertEquals(MapType.ARRAY, obj.map("array").type());
                assertTrue(NicOffload.maps().stream().anyMatch(m -> m.name().equals("htab") && m.ifindex() == eth.ifindex()));
            }
        }
    }

    @Test
    void hostTwinLoadsBesideTheOffloadedProgram() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject nic = NicOffload.load(SampleObjects.XDP_COUNTER.bytes(), LoadOptions.offloadTo(eth));
                 LoadedObject host = NicOffload.load(SampleObjects.XDP_COUNTER.bytes(), LoadOptions.host())) {
                ProgramInfo onNic = nic.program("xdp_counter").info();
                ProgramInfo onHost = host.program("xdp_counter").info();
                assertTrue(onNic.deviceBound());
                assertFalse(onHost.deviceBound());
                assertEquals(onNic.tag(), onHost.tag(), "same instructions, same tag");
                assertTrue(onHost.jitedLength() > 0, "the host program is x86-JITed");
                assertEquals(0, onNic.jitedLength(), "netdevsim keeps no image");
                assertTrue(nic.map("packets").info().offloaded());
                assertFalse(host.map("packets").info().offloaded());
                assertTrue(host.map("packets").device().isEmpty());
                assertEquals(List.of(new BoundProgram(onNic.id(), "xlated", false)), dev.boundPrograms());
            }
        }
    }

    @Test
    void tcClassifierLoadsBoundAsSchedCls() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject obj = NicOffload.load(SampleObjects.TC_DROP.bytes(), LoadOptions.offloadTo(eth))) {
                ProgramInfo info = obj.program("tc_drop").info();
                assertEquals(ProgramType.SCHED_CLS, info.type());
                assertEquals(eth.ifindex(), info.ifindex());
            }
        }
    }

    @Test
    void verifierRefusalByTheDeviceCarriesItsLogLine() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_ACCEPT, false);
            VerifierRejectedException e = assertThrows(VerifierRejectedException.class,
                    () -> NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth)));
            assertEquals(95, e.errno());
            assertTrue(e.verifierLog().orElseThrow().lines().anyMatch("[netdevsim] Hello from netdevsim!"::equals),
                    e.verifierLog().orElseThrow());
            assertTrue(e.operation().contains("xdp_pass") && e.operation().contains(eth.name()), e.operation());
        }
    }

    @Test
    void mapCreationRefusedByThePortIsNotSupported() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            dev.port(0).set(PortKnob.BPF_MAP_ACCEPT, false);
            NotSupportedException e = assertThrows(NotSupportedException.class,
                    () -> NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth)));
            assertEquals("EOPNOTSUPP", e.errnoName());
            assertTrue(e.operation().startsWith("create map 'htab' on " + eth.name()), e.operation());
            // the capability probe's program is freed asynchronously (RCU): poll, do not expect it gone at once
            assertTrue(Await.until(() -> dev.boundPrograms().isEmpty()), "nothing left behind: " + dev.boundPrograms());
        }
    }

    @Test
    void perfEventArrayStaysOnTheHost() throws Exception {
        Path dir = Files.createTempDirectory("nicoffload-perf");
        Path c = dir.resolve("xdp_perf.bpf.c");
        Files.writeString(c, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, 4); __uint(value_size, 4); } events SEC(".maps");
                struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } seen SEC(".maps");
                SEC("xdp")
                int xdp_perf(struct xdp_md *ctx) {
                    __u32 k = 0; __u64 *v = bpf_map_lookup_elem(&seen, &k);
                    if (v) __sync_fetch_and_add(v, 1);
                    __u64 word = 1;
                    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &word, sizeof(word));
                    return XDP_PASS;
                }
                char _license[] SEC("license") = "GPL";
                """);
        Path o = dir.resolve("xdp_perf.o");
        Cmd.run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", c.toString(), "-o", o.toString());
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject obj = NicOffload.load(o, LoadOptions.offloadTo(eth))) {
                assertEquals("xdp_perf", obj.name());
                assertFalse(obj.map("events").info().offloaded(), "PERF_EVENT_ARRAY is offload-neutral");
                assertTrue(obj.map("events").device().isEmpty());
                assertTrue(obj.map("seen").info().offloaded());
                assertTrue(obj.program("xdp_perf").info().deviceBound());
            }
        }
    }

    @Test
    void everyFailureIsAnOffloadExceptionWithOperationAndErrno() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_ACCEPT, false);
            OffloadException e = assertThrows(OffloadException.class,
                    () -> NicOffload.load(SampleObjects.XDP_COUNTER.bytes(), LoadOptions.offloadTo(eth)));
            assertInstanceOf(VerifierRejectedException.class, e);
            assertTrue(e.getMessage().contains("EOPNOTSUPP (Operation not supported)"), e.getMessage());
        }
    }
}

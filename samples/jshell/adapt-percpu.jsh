// Adapt a per-CPU counter program so that an NFP takes it, then offload it and read its counters.
// In the test VM:  ./nicoffload vm -- samples/jshell/run.sh adapt-percpu     (NIC=name: use that NIC)
//
// The program (samples/src/main/bpf/xdp_percpu_counter.bpf.c) counts packets and bytes in a
// PERCPU_ARRAY with plain increments: the NFP refuses per-CPU maps and plain stores into map values.
// The adapter makes the map a shared ARRAY and each increment an atomic add; the shared value is the
// sum the per-CPU copies had. Without a NIC named, the simulated NFP nfpsim0 is used when present.
import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.*;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.Adaptation;
import dev.nicoffload.offload.adapt.Adapter;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.xdp.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
String nic = System.getenv("NIC");
boolean nfpsim = nic == null && java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/class/net/nfpsim0"));
NetdevsimDevice sim = nic == null && !nfpsim ? NetdevsimDevice.create(1) : null;
var dev = NicOffload.device(nic != null ? nic : nfpsim ? "nfpsim0" : sim.port(0).name());
byte[] elf = SampleObjects.XDP_PERCPU_COUNTER.bytes();
System.out.println("device: " + dev.name() + " (" + dev.kind() + ")");
// 1. as written
try (LoadedObject obj = NicOffload.load(elf, LoadOptions.offloadTo(dev))) {
    System.out.println("as written: loaded");
} catch (OffloadException | IllegalArgumentException e) {
    System.out.println("as written: refused: " + e.getMessage().lines().findFirst().orElse(""));
}
// 2. what the adapter changes
Adaptation a = Adapter.adapt(elf, "xdp_percpu_counter", AdaptOptions.defaults());
System.out.print(a.report().render());
// 3. adapt while loading, attach in HW mode, read the shared counters
try (LoadedObject obj = NicOffload.load(elf, LoadOptions.offloadTo(dev).adapting(AdaptOptions.defaults()));
     XdpAttachment hw = obj.program("xdp_percpu_counter").attachXdp(dev, XdpMode.HW)) {
    System.out.println("adapted: attached: " + hw);
    System.out.println("map: " + obj.map("stats").info());
    AtomicCounters<Integer> stats = OffloadMap.of(obj.map("stats"), Codecs.u32(), Codecs.bytes(16))
            .withCounters(CounterWord.u64(0), CounterWord.u64(8)).counters();
    System.out.println("stats[0]: packets = " + stats.get(0, 0) + ", bytes = " + stats.get(0, 1));
    System.out.println("device image: " + obj.program("xdp_percpu_counter").deviceImage());
} finally {
    if (sim != null) sim.close();
}
/exit

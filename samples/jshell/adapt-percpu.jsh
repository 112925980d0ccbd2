// Adapt a per-CPU packet counter so that it offloads, then offload it and read the shared counter.
// In the test VM:  ./nicoffload vm -- samples/jshell/run.sh adapt-percpu     (NIC=name: use that NIC)
//
// The program (samples/src/main/bpf/xdp_percpu_counter.bpf.c) does *count += 1 on a PERCPU_ARRAY:
// the NIC has no per-CPU maps and no plain stores into map values. LoadOptions.adapting(...) makes the
// map a shared ARRAY and the increment an atomic add before loading, and says so (docs/adapting.md).
// The same from the command line: nicoffload adapt xdp_percpu_counter.o -o adapted.o
import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.*;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.xdp.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
String nic = System.getenv("NIC");
NetdevsimDevice sim = nic == null ? NetdevsimDevice.create(1) : null;   // no NIC named: a netdevsim port
var dev = NicOffload.device(nic != null ? nic : sim.port(0).name());
byte[] elf = SampleObjects.XDP_PERCPU_COUNTER.bytes();
String asWritten() {   // a method: jshell cannot run a top-level try-with-resources that has a catch
    try (LoadedObject obj = NicOffload.load(elf, LoadOptions.offloadTo(dev))) {
        return "loaded as written?!";
    } catch (RuntimeException e) {   // an OffloadException from the kernel, or the loader's own refusal
        return "as written: refused (" + e.getClass().getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse("") + ")";
    }
}
System.out.println(asWritten());
try (LoadedObject obj = NicOffload.load(elf, LoadOptions.offloadTo(dev).adapting(AdaptOptions.defaults()));
     XdpAttachment hw = obj.program("xdp_percpu_counter").attachXdp(dev, XdpMode.HW)) {
    System.out.print(obj.adaptation().orElseThrow().render());
    System.out.println("attached: " + hw);
    System.out.println("map: " + obj.map("packets").info());
    // the adapted program only ever adds to slot 0 atomically: read it as an atomic counter
    AtomicCounters<Integer> packets = OffloadMap.of(obj.map("packets"), Codecs.u32(), Codecs.u64())
            .withCounters(CounterWord.u64(0)).counters();
    System.out.println("packets[0] = " + packets.get(0));
} finally {
    if (sim != null) sim.close();
}
/exit

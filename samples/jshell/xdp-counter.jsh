// Offload an XDP packet counter to a NIC and read the counter the NIC keeps.
// In the test VM:  ./nicoffload vm -- samples/jshell/run.sh xdp-counter     (NIC=name: use that NIC)
//
// The program (samples/src/main/bpf/xdp_counter.bpf.c) adds 1 to slot 0 of the ARRAY map "packets"
// with an atomic add for every packet. The map lives on the NIC; Java reads it with the counter view.
// netdevsim has no data path, so there the count stays 0; on an Agilio NIC it follows the traffic.
import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.*;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.xdp.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
String nic = System.getenv("NIC");
NetdevsimDevice sim = nic == null ? NetdevsimDevice.create(1) : null;   // no NIC named: a netdevsim port
var dev = NicOffload.device(nic != null ? nic : sim.port(0).name());
try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_COUNTER.bytes(), LoadOptions.offloadTo(dev));
     XdpAttachment hw = obj.program("xdp_counter").attachXdp(dev, XdpMode.HW)) {
    System.out.println("attached: " + hw);
    System.out.println("map: " + obj.map("packets").info());
    // slot 0 holds a u64 the program only ever adds to: read it as an atomic counter
    AtomicCounters<Integer> packets = OffloadMap.of(obj.map("packets"), Codecs.u32(), Codecs.u64())
            .withCounters(CounterWord.u64(0)).counters();
    for (int i = 0; i < 3; i++) {
        System.out.println("packets[0] = " + packets.get(0));
        Thread.sleep(200);
    }
    packets.reset(0);
    System.out.println("after reset: packets[0] = " + packets.get(0) + ", sum over slots = " + packets.sum(0));
} finally {
    if (sim != null) sim.close();
}
/exit

// Block a list of IPv4 source addresses on the NIC: an offloaded XDP program drops packets whose
// source is a key of the HASH map "blocked"; Java writes the list into the map on the NIC.
// In the test VM:  ./nicoffload vm -- samples/jshell/run.sh ipv4-blocklist     (NIC=name: use that NIC)
//
// netdevsim holds at most 2 entries per offloaded map, so the map (samples/src/main/bpf/
// xdp_blocklist.bpf.c) has max_entries 2 and the list here has two addresses; a third is refused
// with E2BIG (MapFullException). On an Agilio NIC raise max_entries to the size of your list.
import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.*;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.error.MapFullException;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.xdp.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.net.InetAddress;
import java.util.*;
List<String> blockList = List.of("192.0.2.1", "198.51.100.7");
byte[] ipv4(String address) throws Exception { return InetAddress.getByName(address).getAddress(); } // network byte order, as in the IP header
String text(byte[] key) throws Exception { return InetAddress.getByAddress(key).getHostAddress(); }
String nic = System.getenv("NIC");
NetdevsimDevice sim = nic == null ? NetdevsimDevice.create(1) : null;   // no NIC named: a netdevsim port
var dev = NicOffload.device(nic != null ? nic : sim.port(0).name());
try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_BLOCKLIST.bytes(), LoadOptions.offloadTo(dev));
     XdpAttachment hw = obj.program("xdp_blocklist").attachXdp(dev, XdpMode.HW)) {
    System.out.println("attached: " + hw);
    // key: 4 address bytes; value: the u64 drop counter the program adds to (written as 0 only)
    OffloadMap<byte[], Long> blocked = OffloadMap.of(obj.map("blocked"), Codecs.bytes(4), Codecs.u64())
            .withCounters(CounterWord.u64(0));
    Map<byte[], Long> entries = new LinkedHashMap<>();
    for (String a : blockList) entries.put(ipv4(a), 0L);
    blocked.writeAll(entries);                        // all addresses or none
    for (MapEntry<byte[], Long> e : blocked.dump()) {
        System.out.println("blocked " + text(e.key()) + ", dropped " + e.value());
    }
    try {
        blocked.put(ipv4("203.0.113.9"), 0L);
    } catch (MapFullException full) {
        System.out.println("203.0.113.9 refused: map full (" + full.errnoName() + ")");
    }
    blocked.delete(ipv4("192.0.2.1"));                // unblock one, block another
    blocked.put(ipv4("203.0.113.9"), 0L);
    List<String> now = new ArrayList<>();
    for (MapEntry<byte[], Long> e : blocked) now.add(text(e.key()));
    Collections.sort(now);
    System.out.println("now blocked: " + now);
} finally {
    if (sim != null) sim.close();
}
/exit

// Offload an XDP program to a NIC, attach it in HW mode, read the offload state back, detach.
// In the test VM:  ./nicoffload vm -- samples/jshell/run.sh offload-xdp     (NIC=name: use that NIC)
import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.xdp.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
String nic = System.getenv("NIC");
NetdevsimDevice sim = nic == null ? NetdevsimDevice.create(1) : null;   // no NIC named: a netdevsim device with one port
var dev = NicOffload.device(nic != null ? nic : sim.port(0).name());
System.out.println(dev + " can offload: " + dev.canOffload());
try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(dev))) {
    Program p = obj.program("xdp_pass");
    try (XdpAttachment a = p.attachXdp(dev, XdpMode.HW)) {
        System.out.println(a + "\n" + p.info() + "\n" + Xdp.query(dev));
    }
    System.out.println("after detach: " + Xdp.query(dev));
} finally {
    if (sim != null) sim.close();
}
/exit

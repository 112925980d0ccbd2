// Offload an XDP program to a NIC, attach it in HW mode, read the offload state back, detach.
// In the test VM: ./nicoffload vm -- $JAVA_HOME/bin/jshell --execution local -J--enable-native-access=ALL-UNNAMED \
//                   --class-path "$(cat cli/target/module-path)" samples/jshell/offload-xdp.jsh    (NIC=name: use that NIC)
import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.xdp.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import java.nio.file.*;
String nic = System.getenv("NIC");
if (nic == null) {   // no NIC named: make a netdevsim device with one port and use that port
    Files.writeString(Path.of("/sys/bus/netdevsim/new_device"), "4242 1");
    Path ports = Path.of("/sys/bus/netdevsim/devices/netdevsim4242/net");
    while (!Files.isDirectory(ports) || Files.list(ports).findAny().isEmpty()) Thread.sleep(50);
    nic = Files.list(ports).findFirst().get().getFileName().toString();
}
var dev = NicOffload.device(nic);
System.out.println(dev + " can offload: " + dev.canOffload());
try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(dev))) {
    Program p = obj.program("xdp_pass");
    try (XdpAttachment a = p.attachXdp(dev, XdpMode.HW)) {
        System.out.println(a + "\n" + p.info() + "\n" + Xdp.query(dev));
    }
    System.out.println("after detach: " + Xdp.query(dev));
}
/exit

// Offload an XDP program to a NIC, attach it in HW mode, read the offload state back, detach.
// In the test VM: ./nicoffload vm -- $JAVA_HOME/bin/jshell -R--enable-native-access=ALL-UNNAMED \
//                   --class-path "$(cat cli/target/module-path)" samples/jshell/offload-xdp.jsh
import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.xdp.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import java.nio.file.*;
String nic = System.getenv().getOrDefault("NIC", "eth1");
if (!Files.exists(Path.of("/sys/class/net", nic)) && Files.exists(Path.of("/sys/bus/netdevsim"))) {
    Files.writeString(Path.of("/sys/bus/netdevsim/new_device"), "1 1");   // no NIC: make a netdevsim one
    while (!Files.exists(Path.of("/sys/class/net", nic))) Thread.sleep(50);
}
var dev = NicOffload.device(nic);
System.out.println(dev + " can offload: " + dev.canOffload());
try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(dev))) {
    Program p = obj.program("xdp_pass");
    try (XdpAttachment a = p.attachXdp(dev, XdpMode.HW)) {
        System.out.println("attached: " + a + "\n" + p.info());
        System.out.println("per mode: " + Xdp.query(dev));
    }
    System.out.println("after detach: " + Xdp.query(dev));
}
/exit

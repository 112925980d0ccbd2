package com.example.offload;

import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.CounterWord;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import java.io.IOException;
import java.io.InputStream;

import static java.util.Objects.requireNonNull;

/**
 * What a user's application looks like: offloads the packet counter {@code xdp_counter} (compiled
 * by clang in this project's build and packed into its jar) to the NIC named on the command line,
 * attaches it in hardware mode, reads the counter the NIC keeps and detaches.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp target/offload-consumer-1.0.jar:$(cat target/classpath) com.example.offload.CounterApp eth0</pre>
 *
 * Exit status: 0 done; 1 the NIC or the kernel refused, or a bad device name (the reason is printed); 2 usage.
 */
public final class CounterApp {
    private CounterApp() {
    }

    /** Runs the app: {@code args} is the one network device to offload to. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CounterApp NETDEV");
            System.exit(2);
        }
        try {
            System.out.println(offloadAndCount(args[0]));
        } catch (OffloadException | IllegalArgumentException e) {
            System.err.println("CounterApp: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String offloadAndCount(String netdev) throws IOException {
        OffloadDevice nic = NicOffload.device(netdev);
        try (InputStream elf = CounterApp.class.getResourceAsStream("/bpf/xdp_counter.o");
             LoadedObject obj = NicOffload.load(requireNonNull(elf, "bpf/xdp_counter.o is missing from the jar"),
                     LoadOptions.offloadTo(nic))) {
            Program counter = obj.program("xdp_counter");
            OffloadMap<Integer, Long> packets = OffloadMap.of(obj, "packets", Codecs.u32(), Codecs.u64())
                    .withCounters(CounterWord.u64(0));
            try (XdpAttachment hw = counter.attachXdp(nic, XdpMode.HW)) {
                return "xdp_counter: program id " + counter.info().id() + " bound to ifindex " + counter.info().ifindex()
                        + ", attached to " + nic.name() + " in HW mode; map packets on ifindex " + packets.info().ifindex()
                        + "; packets[0] = " + packets.counters().get(0);
            }
        }
    }
}

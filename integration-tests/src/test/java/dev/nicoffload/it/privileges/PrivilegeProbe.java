package dev.nicoffload.it.privileges;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;

import java.nio.file.Path;

/**
 * Run by {@link PrivilegeDropTest} in a child JVM without capabilities: tries each operation and
 * prints one line per operation, {@code name: ExceptionType errno needs capability}.
 */
public final class PrivilegeProbe {

    private PrivilegeProbe() {
    }

    /** args: interface name, pinned program, pinned map, id of a loaded program. */
    public static void main(String[] args) {
        OffloadDevice eth = NicOffload.device(args[0]);
        Path progPin = Path.of(args[1]);
        Path mapPin = Path.of(args[2]);
        int progId = Integer.parseInt(args[3]);
        report("load", () -> NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth)).close());
        report("load-with-offloaded-maps", () -> NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth)).close());
        report("open-pinned-program", () -> Program.openPinned(progPin).close());
        report("attach-pinned-program", () -> {
            try (Program p = Program.openPinned(progPin)) {
                p.attachXdp(eth, XdpMode.HW).close();
            }
        });
        report("open-pinned-map", () -> BpfMap.openPinned(mapPin).close());
        report("open-program-by-id", () -> Program.openById(progId).close());
        report("list-programs", NicOffload::programs);
        report("list-maps", NicOffload::maps);
        report("detach-xdp", () -> Xdp.detach(eth, XdpMode.HW));
    }

    private static void report(String operation, Runnable call) {
        try {
            call.run();
            System.out.println(operation + ": allowed");
        } catch (OffloadException e) {
            String needs = e instanceof dev.nicoffload.offload.error.PermissionDeniedException p ? " needs " + p.capability() : "";
            System.out.println(operation + ": " + e.getClass().getSimpleName() + " " + e.errnoName() + needs);
        } catch (RuntimeException e) {
            System.out.println(operation + ": " + e.getClass().getName() + " " + e.getMessage());
        }
    }
}

package dev.nicoffload.samples;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.io.PrintStream;

/**
 * The README demo, run inside the netdevsim guest by {@code ./nicoffload demo}: creates a netdevsim
 * device, offloads the sample XDP program to its port, attaches it in HW mode, prints what the
 * kernel reports (program id, ifindex, bound state), detaches and cleans up.
 */
public final class OffloadDemo {
    private OffloadDemo() {
    }

    /** Runs the demo, printing to {@code out}; returns 0 on success. */
    public static int run(PrintStream out) {
        try (NetdevsimDevice sim = NetdevsimDevice.create(1)) {
            OffloadDevice port = NicOffload.device(sim.port(0).name());
            out.printf("device     %s: ifindex %d, driver %s, kind %s, can offload BPF: %s%n",
                    port.name(), port.ifindex(), port.driver(), port.kind(), port.canOffload() ? "yes" : "no");

            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(port))) {
                Program prog = obj.program("xdp_pass");
                ProgramInfo loaded = prog.info();
                out.printf("loaded     %s: program id %d, type %s, tag %s, bound to ifindex %d (%s), device-bound: %s%n",
                        loaded.name(), loaded.id(), loaded.type(), loaded.tag(), loaded.ifindex(),
                        loaded.ifname().orElse("?"), loaded.deviceBound() ? "yes" : "no");

                try (XdpAttachment hw = prog.attachXdp(port, XdpMode.HW)) {
                    out.printf("attached   XDP in HW mode on %s: hw program id %d, netdevsim bpf_offloaded_id %d, loaded on device: %s%n",
                            port.name(), Xdp.query(port).hwProgramId(), sim.port(0).offloadedProgramId(),
                            sim.boundPrograms().stream().anyMatch(b -> b.programId() == loaded.id() && b.loaded()) ? "yes" : "no");
                    ProgramInfo info = prog.info();
                    out.printf("info       id %d, ifindex %d, netns %d:%d, xlated %d B, jited %d B (netdevsim keeps no device image), verified insns %d%n",
                            info.id(), info.ifindex(), info.netnsDev(), info.netnsIno(), info.xlatedLength(),
                            info.jitedLength(), info.verifiedInstructions());
                }
                out.printf("detached   hw program id now %d%n", Xdp.query(port).hwProgramId());
            }
        }
        return 0;
    }
}

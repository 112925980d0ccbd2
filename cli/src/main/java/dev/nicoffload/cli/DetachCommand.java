package dev.nicoffload.cli;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code nicoffload detach xdp|tc --dev IF}: removes an XDP program (per mode) or a TC filter. */
@Command(name = "detach", mixinStandardHelpOptions = true,
        description = {"Detach from a device.",
                "  detach xdp --dev IF [--mode hw|drv|skb]",
                "  detach tc  --dev IF [--chain N] [--priority N] [--handle N]"})
final class DetachCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "xdp|tc", description = "Hook.")
    String hook;

    @Mixin
    HookTarget target;

    @Override
    public Integer call() {
        OffloadDevice dev = NicOffload.device(target.device);
        switch (hook) {
            case "xdp" -> {
                XdpMode m = target.xdpMode();
                Xdp.detach(dev, m);
                System.out.println("detached xdp " + m.name().toLowerCase() + " from " + dev.name());
            }
            case "tc" -> {
                var removed = Tc.deleteFilter(dev, target.tcPlace());
                System.out.println("detached tc filter from " + dev.name() + removed.map(w -> " (kernel: " + w + ")").orElse(""));
            }
            default -> {
                System.err.println("detach: hook must be xdp or tc, got " + hook);
                return 2;
            }
        }
        return 0;
    }
}

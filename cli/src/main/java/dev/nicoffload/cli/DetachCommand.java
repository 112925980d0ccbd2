package dev.nicoffload.cli;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nicoffload detach xdp|tc --dev IF}: removes an XDP program (per mode) or a TC filter. */
@Command(name = "detach", mixinStandardHelpOptions = true,
        description = {"Detach from a device.",
                "  detach xdp --dev IF [--mode hw|drv|skb]",
                "  detach tc  --dev IF [--chain N] [--priority N] [--handle N]"})
final class DetachCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "xdp|tc", description = "Hook.")
    String hook;

    @Option(names = "--dev", required = true, paramLabel = "IF", description = "Device.")
    String device;

    @Option(names = "--mode", defaultValue = "hw", description = "XDP mode: hw, drv or skb (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--chain", defaultValue = "0", description = "TC chain.")
    int chain;

    @Option(names = "--priority", defaultValue = "1", description = "TC filter priority.")
    int priority;

    @Option(names = "--handle", defaultValue = "1", description = "TC filter handle.")
    int handle;

    @Override
    public Integer call() {
        OffloadDevice dev = NicOffload.device(device);
        switch (hook) {
            case "xdp" -> {
                XdpMode m = AttachCommand.xdpMode(mode);
                Xdp.detach(dev, m);
                System.out.println("detached xdp " + m.name().toLowerCase() + " from " + dev.name());
            }
            case "tc" -> {
                var removed = Tc.deleteFilter(dev, TcOptions.defaults().withChain(chain).withPriority(priority).withHandle(handle));
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

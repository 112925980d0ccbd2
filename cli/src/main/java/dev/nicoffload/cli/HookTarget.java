package dev.nicoffload.cli;

import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.XdpMode;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Where {@code attach} and {@code detach} act: the device, the XDP mode, the TC filter's place. */
final class HookTarget {
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

    /** The XDP mode named by {@code --mode} (also iproute2's words: offload, native, generic). */
    XdpMode xdpMode() {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "hw", "offload", "xdpoffload" -> XdpMode.HW;
            case "drv", "native", "xdpdrv" -> XdpMode.DRV;
            case "skb", "generic", "xdpgeneric" -> XdpMode.SKB;
            default -> throw new IllegalArgumentException("XDP mode must be hw, drv or skb, got " + mode);
        };
    }

    /** TC options naming the filter's chain, priority and handle. */
    TcOptions tcPlace() {
        return TcOptions.defaults().withChain(chain).withPriority(priority).withHandle(handle);
    }
}

package dev.nicoffload.cli;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcFilter;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.offload.xdp.XdpPolicy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nicoffload attach xdp|tc --dev IF PINNED_PROG}: attaches a pinned program; the attachment
 * stays after this process ends (detach it with {@code nicoffload detach}). It prints what it
 * attached: the program's name, id and tag, read from the kernel through the opened pin. The pin
 * path is walked first: directories another user owns or others can write, and symbolic links
 * another user planted, are refused.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Attach a pinned program to a device; it stays attached after the command ends.",
                "  attach xdp --dev IF [--mode hw|drv|skb] [--replace] PIN",
                "  attach tc  --dev IF [--skip-sw|--skip-hw] [--chain N] [--priority N] [--handle N] PIN"})
final class AttachCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "xdp|tc", description = "Hook.")
    String hook;

    @Parameters(index = "1", paramLabel = "PIN", description = "bpffs path of the pinned program.")
    Path pin;

    @Option(names = "--replace", description = "XDP: replace a program already attached in that mode.")
    boolean replace;

    @Option(names = "--skip-sw", description = "TC: hardware only (required for a device-bound program).")
    boolean skipSw;

    @Option(names = "--skip-hw", description = "TC: software only.")
    boolean skipHw;

    @Mixin
    HookTarget target;

    @Override
    public Integer call() {
        OffloadDevice dev = NicOffload.device(target.device);
        try (Program p = Program.openPinned(pin.toAbsolutePath())) {
            ProgramInfo info = p.info();
            String what = "program " + info.name() + " (id " + info.id() + ", tag " + info.tag()
                    + (info.deviceBound() ? ", bound to " + info.ifname().orElse("ifindex " + info.ifindex()) : "")
                    + ") from " + pin.toAbsolutePath();
            switch (hook) {
                case "xdp" -> {
                    XdpMode m = target.xdpMode();
                    // not closed on purpose: the attachment outlives this process
                    Xdp.attach(p, dev, m, replace ? XdpPolicy.REPLACE : XdpPolicy.IF_NOT_EXIST, null);
                    System.out.println("attached " + what + " to " + dev.name() + " xdp " + m.name().toLowerCase(Locale.ROOT));
                }
                case "tc" -> {
                    TcOptions o = target.tcPlace().withSkipSw(skipSw).withSkipHw(skipHw);
                    Tc.ensureClsact(dev);
                    TcFilter f = Tc.addFilter(dev, p, o);
                    System.out.println("attached " + what + " to " + dev.name() + " tc ingress: " + f);
                }
                default -> {
                    System.err.println("attach: hook must be xdp or tc, got " + hook);
                    return 2;
                }
            }
        }
        return 0;
    }
}

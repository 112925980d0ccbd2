package dev.nicoffload.cli;

import dev.nicoffload.samples.OffloadDemo;
import dev.nicoffload.testing.vm.NetdevsimVm;
import dev.nicoffload.testing.vm.VmException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code nicoffload demo}: the README's main job. On the host it boots the test VM and runs itself
 * there; in the guest it creates a netdevsim device, offloads the sample XDP program to its port,
 * attaches it in HW mode, prints what the kernel reports and detaches.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Offload a sample XDP program to a netdevsim port in the test VM and show its state.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        if (ProjectLayout.inGuest()) {
            return OffloadDemo.run(System.out);
        }
        System.err.println("nicoffload demo: booting the netdevsim test VM (QEMU, software emulation; about 20 s)...");
        try {
            Path launcher = ProjectLayout.home().resolve("nicoffload");
            return NetdevsimVm.run(List.of(launcher.toString(), "demo"), ProjectLayout.home(), ProjectLayout.vmOptions()).exitStatus();
        } catch (VmException e) {
            System.err.println("nicoffload demo: " + e.getMessage());
            return 125;
        }
    }
}

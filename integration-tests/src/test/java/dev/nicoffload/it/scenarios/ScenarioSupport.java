package dev.nicoffload.it.scenarios;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Set-up shared by the scenario classes: sample objects loaded bound or on the host, pins, the guest's {@code ip}. */
final class ScenarioSupport {

    static final Path BPFFS = Path.of("/sys/fs/bpf");

    private ScenarioSupport() {
    }

    static OffloadDevice device(NetdevsimPort port) {
        return NicOffload.device(port.name());
    }

    /** {@code sample} loaded bound to {@code device} (bpftool prog load ... dev X). */
    static LoadedObject bound(SampleObjects sample, OffloadDevice device) {
        return NicOffload.load(sample.bytes(), LoadOptions.offloadTo(device));
    }

    /** {@code sample} loaded on the host. */
    static LoadedObject host(SampleObjects sample) {
        return NicOffload.load(sample.bytes(), LoadOptions.host());
    }

    static boolean programListed(int id) {
        return NicOffload.programs().stream().anyMatch(p -> p.id() == id);
    }

    static boolean mapListed(int id) {
        return NicOffload.maps().stream().anyMatch(m -> m.id() == id);
    }

    /** A fresh pin path under bpffs (removed by {@link #unpin}). */
    static Path pinPath(String name) {
        return BPFFS.resolve("nicoffload-scn-" + name + "-" + ProcessHandle.current().pid());
    }

    static void unpin(Path... pins) {
        for (Path p : pins) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new AssertionError("cannot remove pin " + p, e);
            }
        }
    }

    /** Sets the MTU of {@code port} with the guest's {@code ip} (environment set-up, not the API under test); false when refused. */
    static boolean setMtu(NetdevsimPort port, int mtu) {
        try {
            Process p = new ProcessBuilder(List.of("ip", "link", "set", "dev", port.name(), "mtu", Integer.toString(mtu)))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ip link set mtu hung: " + out);
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            throw new AssertionError("cannot run ip", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

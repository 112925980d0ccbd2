package dev.nicoffload.cli;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.PermissionDeniedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nicoffload devices}: netdevs of this netns that can take offloaded BPF programs, and their
 * driver. Without the capability to load programs the probe cannot run: then every device is
 * listed with offload {@code unknown} and standard error says what the probe needs.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the network devices that can offload BPF programs (probed, not guessed), with their driver.")
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--all", description = "Also list devices that cannot offload.")
    boolean all;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = new ArrayList<>();
        String unprobed = null;
        for (String name : netdevs()) {
            OffloadDevice d;
            try {
                d = NicOffload.device(name);
            } catch (DeviceGoneException gone) {
                continue; // removed while listing
            }
            Boolean capable;
            try {
                capable = d.canOffload();
            } catch (PermissionDeniedException denied) {
                // the probe is a bound program load: without the capability every device is "unknown"
                capable = null;
                unprobed = denied.capability();
            } catch (DeviceGoneException gone) {
                continue;
            }
            if (Boolean.FALSE.equals(capable) && !all) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ifname", d.name());
            row.put("ifindex", d.ifindex());
            row.put("driver", d.driver());
            row.put("kind", d.kind().name().toLowerCase());
            row.put("offload", capable == null ? "unknown" : capable);
            row.put("ports", Boolean.FALSE.equals(capable) ? List.of() : d.ports().stream().map(OffloadDevice::name).toList());
            rows.add(row);
        }
        if (json) {
            System.out.println(Json.write(rows));
        } else {
            for (Map<String, Object> r : rows) {
                Object offload = r.get("offload");
                System.out.printf("%d: %s  driver %s  kind %s  offload %s  ports %s%n", r.get("ifindex"), r.get("ifname"),
                        r.get("driver"), r.get("kind"), offload instanceof Boolean b ? (b ? "yes" : "no") : offload, r.get("ports"));
            }
        }
        if (unprobed != null) {
            System.err.println("devices: whether a device can offload is probed by loading a program bound to it, which needs "
                    + unprobed + " (run as root): listed every device with offload \"unknown\"");
        }
        return 0;
    }

    private static List<String> netdevs() {
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /sys/class/net", e);
        }
    }
}

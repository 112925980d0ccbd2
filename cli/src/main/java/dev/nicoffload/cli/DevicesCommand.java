package dev.nicoffload.cli;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
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

/** {@code nicoffload devices}: netdevs of this netns that can take offloaded BPF programs, and their driver. */
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
        for (String name : netdevs()) {
            OffloadDevice d = NicOffload.device(name);
            boolean capable = d.canOffload();
            if (!capable && !all) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ifname", d.name());
            row.put("ifindex", d.ifindex());
            row.put("driver", d.driver());
            row.put("kind", d.kind().name().toLowerCase());
            row.put("offload", capable);
            row.put("ports", capable ? d.ports().stream().map(OffloadDevice::name).toList() : List.of());
            rows.add(row);
        }
        if (json) {
            System.out.println(Json.write(rows));
        } else {
            for (Map<String, Object> r : rows) {
                System.out.printf("%d: %s  driver %s  kind %s  offload %s  ports %s%n", r.get("ifindex"), r.get("ifname"),
                        r.get("driver"), r.get("kind"), (boolean) r.get("offload") ? "yes" : "no", r.get("ports"));
            }
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

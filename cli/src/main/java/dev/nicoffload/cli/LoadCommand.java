package dev.nicoffload.cli;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nicoffload load FILE.o --dev IF --pin DIR}: loads an object bound to a device (or on the
 * host) and pins its programs under {@code DIR/progs/} and maps under {@code DIR/maps/} in bpffs, so
 * they outlive this process (like {@code bpftool prog loadall ... dev IF pinmaps}).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load a BPF object bound to a device (NFP objects are pre-checked first) and pin it in bpffs.")
final class LoadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.o", description = "BPF ELF object (clang -O2 -g -target bpf).")
    Path object;

    @Option(names = "--dev", paramLabel = "IF", description = "Device to offload to; omit with --host.")
    String device;

    @Option(names = "--host", description = "Load on the host (no device), e.g. a host twin.")
    boolean host;

    @Option(names = "--pin", paramLabel = "DIR", required = true, description = "bpffs directory for the pins, e.g. /sys/fs/bpf/myobj.")
    Path pin;

    @Option(names = "--no-precheck", description = "Do not run the NFP pre-checker before loading on an NFP.")
    boolean noPreCheck;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    public Integer call() {
        if (host == (device != null)) {
            System.err.println("load: give exactly one of --dev IF and --host");
            return 2;
        }
        LoadOptions options = host ? LoadOptions.host() : LoadOptions.offloadTo(NicOffload.device(device));
        if (noPreCheck) {
            options = options.withoutPreCheck();
        }
        Path dir = pin.toAbsolutePath();
        List<Map<String, Object>> pinned = new ArrayList<>();
        try (LoadedObject obj = NicOffload.load(object, options)) {
            Files.createDirectories(dir.resolve("progs"));
            Files.createDirectories(dir.resolve("maps"));
            for (Program p : obj.programs()) {
                Path at = dir.resolve("progs").resolve(p.name());
                p.pin(at);
                pinned.add(Map.of("program", p.name(), "id", p.id(), "pinned", at.toString()));
            }
            for (BpfMap m : obj.maps()) {
                Path at = dir.resolve("maps").resolve(m.name());
                m.pin(at);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("map", m.name());
                row.put("id", m.info().id());
                row.put("pinned", at.toString());
                pinned.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pin directories under " + dir, e);
        }
        if (json) {
            System.out.println(Json.write(pinned));
        } else {
            pinned.forEach(r -> System.out.println((r.containsKey("program") ? "program " + r.get("program") : "map " + r.get("map"))
                    + " id " + r.get("id") + " pinned at " + r.get("pinned")));
        }
        return 0;
    }
}

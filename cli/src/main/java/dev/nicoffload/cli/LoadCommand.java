package dev.nicoffload.cli;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.PinGroup;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nicoffload load FILE.o --dev IF --pin DIR}: loads an object bound to a device (or on the
 * host) and pins its programs under {@code DIR/progs/} and maps under {@code DIR/maps/} in bpffs, so
 * they outlive this process (like {@code bpftool prog loadall ... dev IF pinmaps}). All or nothing:
 * when a pin cannot be made, the pins and directories already made are removed and the object is
 * unloaded. Directories it creates are the caller's, mode 0700; an existing directory another user
 * owns, or one group or others can write, is refused.
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
        // a file that is no usable BPF object is refused first, before any directory is checked or made
        ObjectSpec.read(object);
        Path dir = pin.toAbsolutePath();
        List<Map<String, Object>> pinned = new ArrayList<>();
        // the pin directory is checked (and made) before anything is loaded; all or nothing from here:
        // a failure removes every pin and directory made, and the object is closed
        PinGroup pins;
        try {
            pins = PinGroup.under(dir);
        } catch (IllegalArgumentException | UncheckedIOException | OffloadException e) {
            System.err.println("load: " + e.getMessage() + "; nothing was loaded or left behind");
            return e instanceof IllegalArgumentException ? 2 : 1;
        }
        boolean loaded = false;
        try (pins; LoadedObject obj = NicOffload.load(object, options)) {
            loaded = true;
            Path progs = pins.directory("progs");
            Path maps = pins.directory("maps");
            for (Program p : obj.programs()) {
                Path at = progs.resolve(p.name());
                pins.pin(p, at);
                pinned.add(Map.of("program", p.name(), "id", p.id(), "pinned", at.toString()));
            }
            for (BpfMap m : obj.maps()) {
                Path at = maps.resolve(m.name());
                pins.pin(m, at);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("map", m.name());
                row.put("id", m.info().id());
                row.put("pinned", at.toString());
                pinned.add(row);
            }
            pins.commit();
        } catch (RuntimeException e) {
            if (!loaded) {
                if (!pins.leftOver().isEmpty()) {
                    System.err.println("load: could not remove " + pins.leftOver());
                }
                throw e; // the load's own failure (errno, extack, verifier log); the directories made are gone
            }
            System.err.println("load: " + e.getMessage());
            System.err.println("load: " + undoneReport(pins));
            return e instanceof IllegalArgumentException ? 2 : 1;
        }
        if (json) {
            System.out.println(Json.write(pinned));
        } else {
            pinned.forEach(r -> System.out.println((r.containsKey("program") ? "program " + r.get("program") : "map " + r.get("map"))
                    + " id " + r.get("id") + " pinned at " + r.get("pinned")));
        }
        return 0;
    }

    /** What undoing a failed pinning removed, and whether anything was left behind. */
    private static String undoneReport(PinGroup pins) {
        StringBuilder sb = new StringBuilder();
        List<Path> undone = pins.undone();
        if (undone.isEmpty()) {
            sb.append("no pin or directory had been made");
        } else {
            sb.append("undone: removed ").append(undone.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        sb.append("; the loaded object was closed");
        if (pins.leftOver().isEmpty()) {
            sb.append(": nothing was left behind");
        } else {
            sb.append("; could NOT remove ").append(pins.leftOver().stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        return sb.toString();
    }
}

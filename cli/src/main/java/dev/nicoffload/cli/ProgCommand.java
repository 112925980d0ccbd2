package dev.nicoffload.cli;

import dev.nicoffload.jit.image.JitImage;
import dev.nicoffload.jit.image.ProgramImage;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.load.Program;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nicoffload prog list|show}: loaded BPF programs, bpftool-like. */
@Command(name = "prog", mixinStandardHelpOptions = true, description = "Show loaded BPF programs.",
        subcommands = {ProgCommand.ListCommand.class, ProgCommand.ShowCommand.class})
final class ProgCommand {
    static Map<String, Object> row(ProgramInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        if (p.orphaned()) {
            m.put("orphaned", true);
            return m;
        }
        m.put("type", p.type().name().toLowerCase());
        m.put("name", p.name());
        m.put("tag", p.tag());
        m.put("ifindex", p.ifindex());
        m.put("offloaded_to", p.ifname().orElse(null));
        m.put("netns_dev", p.netnsDev());
        m.put("netns_ino", p.netnsIno());
        m.put("xlated_bytes", p.xlatedLength());
        m.put("jited_bytes", p.jitedLength());
        m.put("verified_insns", p.verifiedInstructions());
        m.put("map_ids", p.mapIds());
        return m;
    }

    static String text(ProgramInfo p) {
        if (p.orphaned()) {
            return p.id() + ": orphaned (its device is gone)";
        }
        return p.id() + ": " + p.type().name().toLowerCase() + "  name " + p.name() + "  tag " + p.tag()
                + (p.deviceBound() ? "\n\toffloaded_to " + p.ifname().orElse("ifindex " + p.ifindex() + " (other netns)") : "")
                + "\n\txlated " + p.xlatedLength() + "B  jited " + p.jitedLength() + "B  verified_insns " + p.verifiedInstructions()
                + (p.mapIds().isEmpty() ? "" : "  map_ids " + p.mapIds().toString().replaceAll("[\\[\\] ]", ""));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List loaded programs (orphans left out unless --orphaned).")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--json", description = "JSON output.")
        boolean json;

        @Option(names = "--orphaned", description = "Also list programs whose device is gone.")
        boolean orphaned;

        @Override
        public Integer call() {
            List<ProgramInfo> progs = Inventory.programs(orphaned);
            if (json) {
                System.out.println(Json.write(progs.stream().map(ProgCommand::row).toList()));
            } else {
                progs.forEach(p -> System.out.println(text(p)));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one program; --jit disassembles its NFP image.")
    static final class ShowCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "Program id.")
        int id;

        @Option(names = "--json", description = "JSON output.")
        boolean json;

        @Option(names = "--jit", description = "Print the NFP microcode the kernel's JIT produced (NFP devices only).")
        boolean jit;

        @Override
        public Integer call() {
            try (Program p = Program.openById(id)) {
                ProgramInfo info = p.info();
                if (jit) {
                    ProgramImage image = p.deviceImage();
                    if (image instanceof JitImage j) {
                        System.out.print(j.listing());
                    } else {
                        System.err.println("program " + id + ": " + image);
                        return 1;
                    }
                } else if (json) {
                    System.out.println(Json.write(row(info)));
                } else {
                    System.out.println(text(info));
                }
            }
            return 0;
        }
    }
}

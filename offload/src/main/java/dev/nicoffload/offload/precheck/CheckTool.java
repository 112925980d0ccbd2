package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.AdaptTool;
import dev.nicoffload.offload.adapt.Adaptation;
import dev.nicoffload.offload.adapt.AllowedChange;
import dev.nicoffload.offload.spec.ObjectFormatException;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code nicoffload check} command: {@code check FILE.o [--program NAME] [--profile nfpsim|agilio-cx|DIR] [--adapt]}.
 * With {@code --adapt} it first prints what the {@link dev.nicoffload.offload.adapt.Adapter} would change
 * (exit 1 when it cannot adapt), then the verdict on the adapted object.
 * Prints one finding per line ({@code [nfp] <text>} for verifier-log findings) and exits 1 when a
 * program cannot be offloaded, 0 when every checked program can, 2 on a usage error or unreadable
 * file. The profile defaults to {@link FirmwareCapabilities#agilioCx()}; a directory is read with
 * {@link FirmwareCapabilities#fromNfpsimDebugfs(Path)}.
 */
public final class CheckTool {
    private static final String USAGE = "usage: check FILE.o [--program NAME] [--profile nfpsim|agilio-cx|DEBUGFS_DIR] [--mtu N] [--adapt [--allow CHANGE[,CHANGE...]]]";

    private CheckTool() {
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name ({@code check} itself may be given first or left out)
     * @param in   standard input (unused)
     * @param out  where findings go
     * @param err  where usage and file errors go
     * @return the exit status: 0 offloadable, 1 not offloadable, 2 usage or input error
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String file = null, program = null, profile = "agilio-cx";
        boolean adapt = false;
        AdaptOptions adaptOptions = AdaptOptions.defaults();
        int mtu = NfpPreChecker.DEFAULT_MTU;
        int i = 0;
        if (args.length > 0 && args[0].equals("check")) i = 1;
        try {
            for (; i < args.length; i++) {
                switch (args[i]) {
                    case "--program" -> program = value(args, ++i);
                    case "--profile" -> profile = value(args, ++i);
                    case "--mtu" -> mtu = Integer.parseInt(value(args, ++i));
                    case "--adapt" -> adapt = true;
                    case "--allow" -> {
                        for (String c : value(args, ++i).split(",")) {
                            if (!c.isBlank()) adaptOptions = adaptOptions.allowing(AllowedChange.ofCliName(c.strip()));
                        }
                    }
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-") || file != null) throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        file = args[i];
                    }
                }
            }
            if (file == null) throw new IllegalArgumentException("missing FILE.o");
        } catch (IllegalArgumentException e) {
            err.println("check: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        FirmwareCapabilities caps;
        ObjectSpec spec;
        try {
            caps = switch (profile) {
                case "nfpsim" -> FirmwareCapabilities.nfpsim();
                case "agilio-cx" -> FirmwareCapabilities.agilioCx();
                default -> FirmwareCapabilities.fromNfpsimDebugfs(Path.of(profile));
            };
            if (adapt) {
                // --adapt: what the adapter would change, then the verdict on the adapted object
                Adaptation a = AdaptTool.adaptFile(Path.of(file), program == null ? adaptOptions : adaptOptions.withProgram(program));
                out.print(a.report().render());
                if (!a.adaptable()) {
                    out.println("not adaptable: the object stays as it is");
                    return 1;
                }
                spec = ObjectSpec.parse(a.output().orElseThrow());
                out.println("after adapting:");
            } else {
                spec = ObjectSpec.read(Path.of(file));
            }
        } catch (java.io.IOException e) {
            err.println("check: cannot read " + file + ": " + e.getMessage());
            return 2;
        } catch (ObjectFormatException | UncheckedIOException | IllegalArgumentException e) {
            err.println("check: " + e.getMessage());
            return 2;
        }
        List<ProgramSpec> programs = spec.programs();
        if (program != null) {
            String wanted = program;
            programs = programs.stream().filter(p -> p.name().equals(wanted)).toList();
            if (programs.isEmpty()) {
                err.println("check: no program named " + program + " in " + file + " (has: "
                        + String.join(", ", spec.programs().stream().map(ProgramSpec::name).toList()) + ")");
                return 2;
            }
        }
        if (programs.isEmpty()) {
            err.println("check: " + file + " holds no programs");
            return 2;
        }
        NfpPreChecker checker = new NfpPreChecker(caps).withDeviceMtu(mtu);
        boolean ok = true;
        for (ProgramSpec p : programs) {
            CheckReport r = checker.check(spec, p);
            String prefix = programs.size() > 1 ? p.name() + ": " : "";
            for (Finding f : r.findings()) out.println(prefix + f.render());
            ok &= r.offloadable();
        }
        return ok ? 0 : 1;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }
}

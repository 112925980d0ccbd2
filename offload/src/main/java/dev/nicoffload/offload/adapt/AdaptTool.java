package dev.nicoffload.offload.adapt;

import dev.nicoffload.offload.spec.ObjectFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code nicoffload adapt} command: {@code adapt IN.o -o OUT.o [--program NAME] [--allow CHANGE[,CHANGE...]]}.
 * Writes the adapted object to OUT.o and prints each change; exit 0 when OUT.o was written (also when
 * nothing needed changing), 1 when the program cannot be adapted (reasons printed, no OUT.o written),
 * 2 on a usage error or an unreadable input.
 */
public final class AdaptTool {
    /** The usage line. */
    public static final String USAGE = "usage: adapt IN.o -o OUT.o [--program NAME] [--allow CHANGE[,CHANGE...]]"
            + "  (CHANGE: lru-to-hash, tc-ok-to-unspec)";

    private AdaptTool() {
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name ({@code adapt} itself may be given first)
     * @param out  where changes go
     * @param err  where refusals, usage and file errors go
     * @return 0 written, 1 not adaptable, 2 usage or input error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String in = null, outFile = null;
        AdaptOptions options = AdaptOptions.defaults();
        int i = 0;
        if (args.length > 0 && args[0].equals("adapt")) i = 1;
        try {
            for (; i < args.length; i++) {
                switch (args[i]) {
                    case "-o", "--output" -> outFile = value(args, ++i);
                    case "--program" -> options = options.withProgram(value(args, ++i));
                    case "--allow" -> {
                        for (String c : value(args, ++i).split(",")) {
                            if (!c.isBlank()) options = options.allowing(AllowedChange.ofCliName(c.strip()));
                        }
                    }
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-") || in != null) throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        in = args[i];
                    }
                }
            }
            if (in == null) throw new IllegalArgumentException("missing IN.o");
            if (outFile == null) throw new IllegalArgumentException("missing -o OUT.o");
        } catch (IllegalArgumentException e) {
            err.println("adapt: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Adaptation a;
        try {
            a = adaptFile(Path.of(in), options);
        } catch (ObjectFormatException | IOException | IllegalArgumentException e) {
            err.println("adapt: " + e.getMessage());
            return 2;
        }
        if (!a.adaptable()) {
            err.print(a.report().render());
            err.println("adapt: " + in + " cannot be adapted; " + outFile + " not written");
            return 1;
        }
        Path target = Path.of(outFile);
        try {
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".adapt-", ".o.tmp");
            try {
                Files.write(tmp, a.output().orElseThrow());
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            err.println("adapt: cannot write " + outFile + ": " + e.getMessage());
            return 2;
        }
        out.print(a.report().render());
        return 0;
    }

    /**
     * Reads and adapts a file, naming the object as libbpf does (the file name without {@code .o}).
     *
     * @param file    the object
     * @param options the options
     * @return the adaptation
     * @throws IOException if the file cannot be read
     */
    public static Adaptation adaptFile(Path file, AdaptOptions options) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String base = file.getFileName() == null ? "object" : file.getFileName().toString();
        String name = base.endsWith(".o") ? base.substring(0, base.length() - 2) : base;
        int dot = name.indexOf('.');
        return Adapter.adapt(bytes, dot > 0 ? name.substring(0, dot) : name, options);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }
}

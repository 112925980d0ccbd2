package dev.nicoffload.cli;

import dev.nicoffload.jit.io.SafeText;
import dev.nicoffload.maps.MapEntry;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.UpdateMode;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.load.BpfMap;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nicoffload map show|list|dump|lookup|update|delete}: BPF maps, bpftool-like. Keys and
 * values are hex bytes ({@code 01 00 00 00} or {@code 01000000}), in the map's byte order.
 */
@Command(name = "map", mixinStandardHelpOptions = true, description = "Show and edit BPF maps (offloaded maps live on the device).",
        subcommands = {MapCommand.ListCommand.class, MapCommand.ShowCommand.class, MapCommand.DumpCommand.class,
                MapCommand.LookupCommand.class, MapCommand.UpdateCommand.class, MapCommand.DeleteCommand.class})
final class MapCommand {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** The map to act on and the output format. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "ID", description = "Map id (see map list).")
        int id;

        @Option(names = "--json", description = "JSON output.")
        boolean json;

        /** Opens the map by id, runs {@code action} on it with raw byte keys and values, closes it. */
        <T> T withMap(MapAction<T> action) throws IOException {
            try (BpfMap handle = BpfMap.openById(id)) {
                return action.run(OffloadMap.of(handle, Codecs.bytes(), Codecs.bytes()));
            }
        }
    }

    /** What a command does with an open map. */
    @FunctionalInterface
    interface MapAction<T> {
        T run(OffloadMap<byte[], byte[]> map) throws IOException;
    }

    /** The {@code --key} of lookup, update and delete. */
    static final class Key {
        @Option(names = "--key", required = true, arity = "1..*", description = "Key as hex bytes.")
        List<String> key;

        byte[] bytes() {
            return hex(key, "key");
        }
    }

    static Map<String, Object> row(MapInfo m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", m.id());
        r.put("type", m.type().name().toLowerCase());
        r.put("name", m.name());
        r.put("key_size", m.keySize());
        r.put("value_size", m.valueSize());
        r.put("max_entries", m.maxEntries());
        r.put("flags", m.flags());
        r.put("ifindex", m.ifindex());
        r.put("offloaded_to", m.ifname().orElse(null));
        return r;
    }

    static String text(MapInfo m) {
        return m.id() + ": " + m.type().name().toLowerCase() + "  name " + m.name() + "  flags 0x" + Integer.toHexString(m.flags())
                + (m.ifindex() != 0 ? "\n\toffloaded_to " + m.ifname().orElse("ifindex " + m.ifindex() + " (other netns)") : "")
                + "\n\tkey " + m.keySize() + "B  value " + m.valueSize() + "B  max_entries " + m.maxEntries();
    }

    /**
     * Parses hex bytes given as one or more arguments: each argument holds blank-separated groups
     * of hex digits, and each group may start with {@code 0x} or {@code 0X}, a prefix only
     * ({@code 010x000000} is refused, not read as {@code 01000000}); every group has an even number
     * of digits. {@code 01 00 00 00}, {@code 01000000} and {@code 0x01 0x00 0x0000} are the same four bytes.
     *
     * @throws IllegalArgumentException naming {@code what}, with the input echoed safely (control characters escaped)
     */
    static byte[] hex(List<String> parts, String what) {
        StringBuilder digits = new StringBuilder();
        for (String part : parts) {
            for (String group : part.strip().split("[ \t\n\r\f]+")) {
                if (group.isEmpty()) {
                    continue;
                }
                String g = group.startsWith("0x") || group.startsWith("0X") ? group.substring(2) : group;
                if (g.isEmpty() || g.length() % 2 != 0 || !isHex(g)) {
                    throw new IllegalArgumentException(what + " must be hex bytes, e.g. 01 00 00 00 or 0x01000000 (0x only as a prefix);"
                            + " got '" + SafeText.escape(String.join(" ", parts)) + "' (bad group '" + SafeText.escape(group) + "')");
                }
                digits.append(g);
            }
        }
        if (digits.isEmpty()) {
            throw new IllegalArgumentException(what + " must be hex bytes, e.g. 01 00 00 00; got no digits");
        }
        return HexFormat.of().parseHex(digits);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> entry(MapEntry<byte[], byte[]> e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("key", HEX.formatHex(e.key()));
        r.put("value", HEX.formatHex(e.value()));
        return r;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List maps.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--json", description = "JSON output.")
        boolean json;

        @Override
        public Integer call() {
            List<MapInfo> maps = Inventory.maps();
            System.out.println(json ? Json.write(maps.stream().map(MapCommand::row).toList())
                    : String.join("\n", maps.stream().map(MapCommand::text).toList()));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one map.")
    static final class ShowCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() {
            MapInfo info = Inventory.map(target.id);
            System.out.println(target.json ? Json.write(row(info)) : text(info));
            return 0;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true, description = {"Print every entry (at most --limit).",
            "Big dumps show progress on stderr when stderr is a terminal and stdout is not (redirected);"
                    + " --progress forces it (a line every " + DumpProgress.LINE_EVERY + " entries), --no-progress turns it off."})
    static final class DumpCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--limit", defaultValue = "100000", description = "Stop after this many entries (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--progress", negatable = true, description = "Show progress on stderr even when not at a terminal (--no-progress: never).")
        Boolean progress;

        @Override
        public Integer call() throws IOException {
            if (limit < 0) {
                throw new IllegalArgumentException("--limit must not be negative: " + limit);
            }
            DumpProgress shown = DumpProgress.forThisProcess(progress);
            boolean complete = false;
            // entries are written as they are read, so a big dump needs no memory for the whole map;
            // the writer is flushed, not closed: System.out stays open
            Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            try {
                complete = target.withMap(map -> write(map.iterator(), out, shown));
            } finally {
                out.flush();
                shown.finish(complete);
            }
            return 0;
        }

        /** Writes at most --limit entries; true once the listing is complete (its closing line written). */
        private boolean write(Iterator<MapEntry<byte[], byte[]>> it, Writer out, DumpProgress shown) throws IOException {
            int count = 0;
            if (target.json) {
                out.write('[');
            }
            for (; count < limit && it.hasNext(); count++) {
                MapEntry<byte[], byte[]> e = it.next();
                if (target.json) {
                    out.write((count > 0 ? "," : "") + Json.write(entry(e)));
                } else {
                    out.write("key: " + HEX.formatHex(e.key()) + "  value: " + HEX.formatHex(e.value()) + "\n");
                }
                shown.entry();
            }
            out.write(target.json ? "]\n" : "Found " + count + " element" + (count == 1 ? "" : "s") + "\n");
            return true;
        }
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true, description = "Print the value of one key.")
    static final class LookupCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @Mixin
        Key key;

        @Override
        public Integer call() throws IOException {
            byte[] k = key.bytes();
            Optional<byte[]> v = target.withMap(map -> map.lookup(k));
            if (v.isEmpty()) {
                System.err.println("lookup: key " + HEX.formatHex(k) + " not found");
                return 1;
            }
            System.out.println(target.json ? Json.write(entry(new MapEntry<>(k, v.get()))) : "key: " + HEX.formatHex(k) + "  value: " + HEX.formatHex(v.get()));
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Write one entry (any, noexist or exist).")
    static final class UpdateCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @Mixin
        Key key;

        @Option(names = "--value", required = true, arity = "1..*", description = "Value as hex bytes.")
        List<String> value;

        @Option(names = "--mode", defaultValue = "any", description = "any, noexist or exist (default ${DEFAULT-VALUE}).")
        String mode;

        @Override
        public Integer call() throws IOException {
            UpdateMode m = switch (mode) {
                case "any" -> UpdateMode.ANY;
                case "noexist" -> UpdateMode.NO_EXIST;
                case "exist" -> UpdateMode.EXIST;
                default -> throw new IllegalArgumentException("--mode must be any, noexist or exist, got " + mode);
            };
            byte[] k = key.bytes();
            byte[] v = hex(value, "value");
            return target.withMap(map -> {
                map.update(k, v, m);
                return 0;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete one key.")
    static final class DeleteCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @Mixin
        Key key;

        @Override
        public Integer call() throws IOException {
            byte[] k = key.bytes();
            return target.withMap(map -> {
                map.delete(k);
                return 0;
            });
        }
    }
}

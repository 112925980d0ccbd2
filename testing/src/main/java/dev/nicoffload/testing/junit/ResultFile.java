package dev.nicoffload.testing.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file in which the guest launcher records each test's outcome, one line per test:
 * {@code OUTCOME TAB uniqueId TAB message TAB detail}, with TAB, newline and backslash escaped.
 */
final class ResultFile {
    private ResultFile() {
    }

    /** One recorded outcome. */
    record Entry(GuestTestResult.Outcome outcome, String uniqueId, String message, String detail) {
    }

    static String line(Entry e) {
        return e.outcome() + "\t" + escape(e.uniqueId()) + "\t" + escape(e.message()) + "\t" + escape(e.detail()) + "\n";
    }

    static Map<String, Entry> read(Path file) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IOException("malformed line in " + file + ": " + line);
            }
            Entry e = new Entry(GuestTestResult.Outcome.valueOf(f[0]), unescape(f[1]), unescape(f[2]), unescape(f[3]));
            entries.put(e.uniqueId(), e);
        }
        return entries;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static List<String> keys(Map<String, Entry> m) {
        return List.copyOf(m.keySet());
    }
}

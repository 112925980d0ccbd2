package dev.nicoffload.ffm;

import dev.nicoffload.ffm.libc.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libbpf's own error codes (4000 on) have names and meanings in the one errno table, as libbpf.h numbers them. */
class LibbpfErrnoTest {

    private static final Path LIBBPF_H = Path.of("/usr/include/bpf/libbpf.h");

    @Test
    void formatErrorIsNamedAndExplained() {
        assertEquals("LIBBPF_ERRNO__FORMAT", Errno.name(4001));
        assertEquals("libbpf: invalid BPF object format", Errno.message(4001));
        assertEquals("LIBBPF_ERRNO__LIBELF", Errno.name(4000));
        assertEquals("LIBBPF_ERRNO__NLPARSE", Errno.name(4013));
        assertEquals("E4014", Errno.name(4014), "past the enum's end stays unknown");
    }

    /** Every enumerator of the installed header's enum libbpf_errno has its number, name and a message here. */
    @Test
    void everyCodeOfTheInstalledHeaderIsKnownUnderItsName() throws IOException {
        // libbpf-dev is one of the packages the build installs (README); the header is the oracle
        assertTrue(Files.isRegularFile(LIBBPF_H), LIBBPF_H + " missing (libbpf-dev)");
        List<String> names = new ArrayList<>();
        boolean inEnum = false;
        Pattern enumerator = Pattern.compile("^\\s*(LIBBPF_ERRNO__\\w+)\\s*(=\\s*__LIBBPF_ERRNO__START\\s*)?,");
        for (String line : Files.readAllLines(LIBBPF_H)) {
            if (line.contains("enum libbpf_errno")) {
                inEnum = true;
            } else if (inEnum && line.contains("__LIBBPF_ERRNO__END")) {
                break;
            } else if (inEnum) {
                Matcher m = enumerator.matcher(line);
                if (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        assertEquals(14, names.size(), "enumerators found: " + names);
        for (int i = 0; i < names.size(); i++) {
            assertEquals(names.get(i), Errno.name(4000 + i));
            assertFalse(Errno.message(4000 + i).startsWith("Unknown"), names.get(i));
        }
    }
}

package dev.nicoffload.jit.elf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nicoffload.jit.testsupport.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Whole-file listings of real firmware ({@code .nffw} from Debian's firmware-netronome) compared
 * byte for byte with the oracle objdump's {@code -d -z -m nfp --no-show-raw-insn} output. Runs on
 * every BPF firmware file plus one nic and one flower file (shared code store); set
 * {@code -Dnicoffload.oracle.allFirmware=true} to compare all firmware files.
 */
class FirmwareOracleTest {

    @Test
    void listingsMatchObjdump() throws Exception {
        Oracle oracle = Oracle.require();
        List<Path> files = firmwareFiles(oracle.firmwareDir());
        assertFalse(files.isEmpty(), "no .nffw files under " + oracle.firmwareDir());
        List<String> failures = new ArrayList<>();
        long words = 0;
        for (Path f : files) {
            String name = f.toString();
            String expected = oracle.run(List.of("-d", "-z", "-m", "nfp", "--no-show-raw-insn", name));
            NfpElfFile elf = NfpElfFile.read(f);
            words += elf.wordCount();
            StringBuilder got = new StringBuilder(expected.length());
            ObjdumpListing.write(elf, name, got);
            if (!expected.contentEquals(got)) {
                failures.add(name + ": " + firstDifference(expected, got.toString()));
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + files.size() + " firmware listings differ:\n" + String.join("\n", failures));
        }
        System.out.println("FirmwareOracleTest: " + files.size() + " files, " + words + " words identical to objdump");
    }

    static List<Path> firmwareFiles(Path netronome) throws IOException {
        List<Path> out = new ArrayList<>();
        boolean all = Boolean.getBoolean("nicoffload.oracle.allFirmware");
        try (Stream<Path> s = Files.walk(netronome)) {
            s.filter(p -> p.toString().endsWith(".nffw") && Files.isRegularFile(p))
                    .filter(p -> !Files.isSymbolicLink(p))
                    .sorted()
                    .forEach(out::add);
        }
        if (all) {
            return out;
        }
        List<Path> picked = new ArrayList<>();
        for (Path p : out) {
            if (p.getParent().getFileName().toString().equals("bpf")) {
                picked.add(p);
            }
        }
        out.stream().filter(p -> p.getParent().getFileName().toString().equals("nic")).findFirst().ifPresent(picked::add);
        out.stream().filter(p -> p.getParent().getFileName().toString().equals("flower")).findFirst().ifPresent(picked::add);
        return picked;
    }

    static String firstDifference(String want, String got) {
        String[] a = want.split("\n", -1);
        String[] b = got.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return "line " + (i + 1) + "\n    want: " + a[i] + "\n    got:  " + b[i];
            }
        }
        return "line counts differ: want " + a.length + ", got " + b.length;
    }
}

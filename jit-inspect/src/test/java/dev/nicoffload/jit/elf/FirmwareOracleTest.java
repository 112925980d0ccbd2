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
import org.junit.jupiter.api.io.TempDir;

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

    /** Hand-made files for the corner cases: ranking of init-CSR sections, bad domains, partial words. */
    @Test
    void syntheticFilesMatchObjdump(@TempDir Path dir) throws Exception {
        Oracle oracle = Oracle.require();
        long nop = 0x000000f0000c0300L;
        long read = 0x0000000000300b01L;
        long mode2 = 0x00000800000003c4L;
        long init = NfpElfFile.SHF_NFP_INIT | 0x6;
        long init2 = NfpElfFile.SHF_NFP_INIT | NfpElfFile.SHF_NFP_INIT2;
        List<byte[]> files = List.of(
                new NfpElfWriter().code(".text", 32, 0, nop, read, mode2).build(),
                new NfpElfWriter().code(".text", 64, 0, nop).code(".text2", 3, 12, nop).code(".text3", 3, 11, read).build(),
                new NfpElfWriter().section(".text", NfpElfWriter.PROGBITS, NfpElfWriter.AX, 1,
                        java.util.Arrays.copyOf(NfpElfWriter.words(nop, read, mode2), 21)).build(),
                new NfpElfWriter().code(".text.i33.me0", 33, 0, read, mode2)
                        .meCsrs(".regt.mecsr.i33", 0, 33, 2, 0, 0x8000_0000L, 0)
                        .meCsrs(".regt1.mecsr.i33", 0, 33, 1, 0, 0, 0x14)
                        .code(".init.i33.me0", 33, 0, read, mode2).build(),
                new NfpElfWriter().code(".text.i33.me0", 33, 0, read, mode2)
                        .meCsrs(".regt.mecsr.i33", 0, 33, 1, 0, 0x8000_0000L, 0)
                        .meCsrs(".regt1.mecsr.i33", 0, 33, 1, 0, 0, 0x14).build(),
                NfpElfFileTest.setSectionFlags(new NfpElfWriter().code(".init.i33.me5", 33, 5, read, mode2)
                        .meCsrs(".regi.mecsr.i33", init2, 33, 0, 5, 0x8000_0000L, 0)
                        .meCsrs(".regi1.mecsr.i33", NfpElfFile.SHF_NFP_INIT, 33, 200, 5, 0, 0x14)
                        .meCsrs(".regt.mecsr.i33", 0, 33, 1, 5, 0, 0x10).build(), 1, init),
                new NfpElfWriter().code(".text.i4.me3", 4, 3, java.util.stream.LongStream.range(0, 600)
                        .map(i -> i * 0x9E3779B97F4A7C15L).toArray())
                        .meCsrs(".regt.mecsr.i4", 0, 4, 1, 3, 0, 0x4).build());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = dir.resolve("synthetic" + i + ".elf");
            Files.write(f, files.get(i));
            String expected = oracle.run(List.of("-d", "-z", "-m", "nfp", "--no-show-raw-insn", f.toString()));
            StringBuilder got = new StringBuilder();
            ObjdumpListing.write(NfpElfFile.read(f), f.toString(), got);
            if (!expected.contentEquals(got)) {
                failures.add("synthetic file " + i + ": " + firstDifference(expected, got.toString()));
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
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

package dev.nicoffload.offload.spec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input ends in a typed {@link ObjectFormatException}, never in another exception or a hang. */
class MalformedObjectTest {

    private static byte[] sample() throws IOException {
        return Files.readAllBytes(TestObjects.object("nfpsim_xdp_call"));
    }

    @Test
    void rejectsNonElfInput() {
        assertEquals("not an ELF file: only 3 bytes", assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse(new byte[3])).getMessage());
        byte[] zeros = new byte[128];
        assertEquals("not an ELF file (bad magic)", assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse(zeros)).getMessage());
    }

    @Test
    void rejectsObjectsForOtherMachinesAndClasses() throws IOException {
        byte[] elf = sample();
        byte[] x86 = elf.clone();
        x86[18] = 62; // EM_X86_64
        x86[19] = 0;
        assertEquals("not a BPF object (e_machine 62, expected 247)", assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse(x86)).getMessage());
        byte[] elf32 = elf.clone();
        elf32[4] = 1;
        assertTrue(assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse(elf32)).getMessage().contains("64-bit"));
    }

    @Test
    void everyTruncationIsATypedError() throws IOException {
        byte[] elf = sample();
        for (int len = 0; len < elf.length; len++) {
            byte[] cut = Arrays.copyOf(elf, len);
            assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse(cut), "truncated to " + len + " bytes");
        }
    }

    @Test
    void randomCorruptionParsesOrFailsTyped() throws IOException {
        byte[] elf = sample();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 3000; round++) {
            byte[] bad = elf.clone();
            int flips = 1 + rnd.nextInt(8);
            for (int f = 0; f < flips; f++) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            try {
                ObjectSpec.parse(bad);
            } catch (ObjectFormatException expected) {
                assertNotNull(expected.getMessage());
            } catch (RuntimeException other) {
                fail("round " + round + ": " + other, other);
            }
        }
    }

    @Test
    void missingFileIsATypedError() {
        Path none = Path.of("target/does-not-exist.o");
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ObjectSpec.read(none));
        assertEquals("target/does-not-exist.o: no such file", e.getMessage());
    }
}

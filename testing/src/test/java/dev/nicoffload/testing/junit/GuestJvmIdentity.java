package dev.nicoffload.testing.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Which guest boot and JVM a test ran in (boot id, process id, the JVM's start instant), noted in the
 * boot's writable run directory by {@link SharedGuestJvmFirstTest} and {@link SharedGuestJvmSecondTest}.
 */
final class GuestJvmIdentity {
    private GuestJvmIdentity() {
    }

    /** This JVM's identity line. */
    static String current() throws IOException {
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        ProcessHandle self = ProcessHandle.current();
        return bootId + " pid " + self.pid() + " started " + self.info().startInstant().orElseThrow();
    }

    /** Notes {@code who} ran in this JVM and returns every identity noted in this guest boot so far. */
    static List<String> noteAndReadAll(String who) throws IOException {
        Path file = Path.of(System.getenv("NICOFFLOAD_RUN_DIR"), "junit", "guest-jvm-ids");
        Files.createDirectories(file.getParent());
        Files.writeString(file, who + "\t" + current() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return Files.readAllLines(file).stream().map(l -> l.substring(l.indexOf('\t') + 1)).toList();
    }

    /**
     * Notes this JVM for {@code who} and asserts every class noted in this guest boot so far ran in
     * this same JVM: with one guest JVM per class, whichever class runs second fails.
     */
    static void assertOneJvm(String who) throws IOException {
        String me = current();
        List<String> all = noteAndReadAll(who);
        assertTrue(all.contains(me), "noted itself: " + all);
        for (String other : all) {
            assertEquals(me, other, "every @NetdevsimTest class of this run ran in this guest JVM");
        }
    }
}

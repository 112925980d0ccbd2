package dev.nicoffload.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guest part of the CLI robustness check (the host part, cli/CliRobustnessTest, runs every
 * subcommand over bad input): bad object files loaded onto a real offload device, and bad keys
 * and values for a map that lives on the device. Each run is one line on standard error, exit 2
 * (or 1 where the kernel refuses), no stack trace, and nothing reaches the device.
 */
@ExtendWith(NetdevsimCleanup.class)
class CliBadInputTest {
    private static void clean(CliRun r, int status, String text, String what) {
        assertEquals(status, r.status(), what + ": " + r.err());
        assertTrue(r.err().contains(text), what + ": " + r.err());
        assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), what + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
    }

    @Test
    void badObjectFilesNeverReachTheDevice() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            String port = dev.port(0).name();
            Path dir = Files.createTempDirectory("cli-bad");
            byte[] object = SampleObjects.XDP_MAPS_RET0.bytes();
            Path truncated = Files.write(dir.resolve("truncated.o"), Arrays.copyOf(object, object.length / 2));
            Path x86 = Files.write(dir.resolve("x86.o"), Files.readAllBytes(Path.of("/bin/true")));
            String pins = "/sys/fs/bpf/cli-bad-" + dev.id();
            for (List<String> c : List.of(List.of(dir.resolve("missing.o").toString(), "no such file"), List.of(dir.toString(), "is a directory"),
                    List.of("/dev/zero", "not a regular file"), List.of(x86.toString(), "not a BPF object"), List.of(truncated.toString(), "truncated.o: "))) {
                clean(CliRun.of("load", c.get(0), "--dev", port, "--pin", pins), 2, c.get(1), "load " + c.get(0));
            }
            assertTrue(dev.boundPrograms().isEmpty(), "nothing bound: " + dev.boundPrograms());
            assertFalse(Files.exists(Path.of(pins)), "no pin directory made");
        }
    }

    @Test
    void badKeysAndValuesLeaveAnOffloadedMapAlone() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1);
             LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(),
                     LoadOptions.offloadTo(NicOffload.device(dev.port(0).name())))) {
            BpfMap htab = obj.map("htab");
            String id = Integer.toString(htab.id());
            // before: 0x was deleted wherever it stood, and this wrote key 01000000
            clean(CliRun.of("map", "update", id, "--key", "010x000000", "--value", "2a00000000000000"), 2, "0x only as a prefix", "010x key");
            clean(CliRun.of("map", "update", id, "--key", "0x01000000", "--value", "2a00\u001b[2J"), 2, "'2a00\\x1b[2J'", "escape in value");
            clean(CliRun.of("map", "update", id, "--key", "01", "--value", "2a00000000000000"), 2, "", "key of 1 byte for a 4-byte key");
            CliRun dump = CliRun.of("map", "dump", id);
            assertEquals(0, dump.status(), dump.err());
            assertEquals("Found 0 elements\n", dump.out(), "nothing was written");
            CliRun jit = CliRun.of("prog", "show", Integer.toString(obj.programs().get(0).id()), "--jit");
            assertEquals(1, jit.status(), "netdevsim keeps no device image: " + jit.err());
            assertFalse(jit.err().contains("\tat "), jit.err());
        }
    }
}

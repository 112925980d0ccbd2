package dev.nicoffload.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The nicoffload CLI against the real kernel: load and pin, attach, show, detach, devices, check, JIT listing. */
@ExtendWith(NetdevsimCleanup.class)
class CliTest {
    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @Test
    void loadPinAttachShowDetachOnNetdevsim() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            Path obj = SampleObjects.XDP_COUNTER.writeTo(Files.createTempDirectory("cli"));
            Path pins = Path.of("/sys/fs/bpf/cli-test-" + dev.id());

            CliRun load = cli("load", obj.toString(), "--dev", port.name(), "--pin", pins.toString());
            assertEquals(0, load.status(), load.err());
            Matcher id = Pattern.compile("program xdp_counter id (\\d+) pinned at " + Pattern.quote(pins + "/progs/xdp_counter")).matcher(load.out());
            assertTrue(id.find(), load.out());
            assertTrue(load.out().contains("map packets id "), load.out());
            int progId = Integer.parseInt(id.group(1));
            assertEquals(1, dev.boundPrograms().size(), "still loaded after the command: the pin holds it");

            CliRun attach = cli("attach", "xdp", "--dev", port.name(), "--mode", "hw", pins + "/progs/xdp_counter");
            assertEquals(0, attach.status(), attach.err());
            assertEquals(progId, port.offloadedProgramId(), "stays attached after the command");

            CliRun show = cli("prog", "show", Integer.toString(progId), "--json");
            assertEquals(0, show.status(), show.err());
            assertTrue(show.out().contains("\"offloaded_to\":\"" + port.name() + "\""), show.out());
            assertTrue(show.out().contains("\"jited_bytes\":0"), show.out());

            CliRun devices = cli("devices", "--json");
            assertTrue(devices.out().contains("\"ifname\":\"" + port.name() + "\",\"ifindex\":" + port.ifindex() + ",\"driver\":\"netdevsim\""), devices.out());

            CliRun again = cli("attach", "xdp", "--dev", port.name(), pins + "/progs/xdp_counter");
            assertEquals(1, again.status(), "attach without --replace refuses a second program: " + again.out());
            assertTrue(again.err().contains("EBUSY") || again.err().contains("already attached"), again.err());

            CliRun detach = cli("detach", "xdp", "--dev", port.name(), "--mode", "hw");
            assertEquals(0, detach.status(), detach.err());
            assertEquals(0, port.offloadedProgramId());
            Files.walk(pins).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void checkAndJitListingOnTheSimulatedNfp() throws Exception {
        Path obj = SampleObjects.XDP_PASS.writeTo(Files.createTempDirectory("cli"));
        CliRun check = cli("check", obj.toString());
        assertEquals(0, check.status(), check.out() + check.err());

        Path pins = Path.of("/sys/fs/bpf/cli-nfp");
        CliRun load = cli("load", obj.toString(), "--dev", "nfpsim0", "--pin", pins.toString());
        assertEquals(0, load.status(), load.err());
        Matcher id = Pattern.compile("program xdp_pass id (\\d+)").matcher(load.out());
        assertTrue(id.find(), load.out());
        CliRun jit = cli("prog", "show", id.group(1), "--jit");
        assertEquals(0, jit.status(), jit.err());
        assertTrue(jit.out().contains("immed[") && jit.out().lines().count() >= 26, "26-instruction NFP image listed:\n" + jit.out());
        Files.walk(pins).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    @Test
    void mapCommandsReadAndWriteAnOffloadedMap() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            Path obj = SampleObjects.XDP_MAPS_RET0.writeTo(Files.createTempDirectory("cli"));
            Path pins = Path.of("/sys/fs/bpf/cli-map-" + dev.id());
            CliRun load = cli("load", obj.toString(), "--dev", dev.port(0).name(), "--pin", pins.toString());
            assertEquals(0, load.status(), load.err());
            Matcher m = Pattern.compile("map htab id (\\d+)").matcher(load.out());
            assertTrue(m.find(), load.out());
            String id = m.group(1);

            CliRun show = cli("map", "show", id, "--json");
            assertTrue(show.out().contains("\"type\":\"hash\",\"name\":\"htab\",\"key_size\":4,\"value_size\":8,\"max_entries\":2"), show.out());
            assertTrue(show.out().contains("\"offloaded_to\":\"" + dev.port(0).name() + "\""), show.out());
            assertEquals(0, cli("map", "update", id, "--key", "01", "00", "00", "00", "--value", "2a00000000000000").status());
            assertEquals(0, cli("map", "update", id, "--key", "02000000", "--value", "0100000000000000", "--mode", "noexist").status());
            CliRun full = cli("map", "update", id, "--key", "03000000", "--value", "0100000000000000");
            assertEquals(1, full.status());
            assertTrue(full.err().contains("E2BIG"), "netdevsim holds 2 entries: " + full.err());
            CliRun dump = cli("map", "dump", id);
            assertEquals("key: 01 00 00 00  value: 2a 00 00 00 00 00 00 00\nkey: 02 00 00 00  value: 01 00 00 00 00 00 00 00\nFound 2 elements\n", dump.out());
            assertEquals(0, cli("map", "delete", id, "--key", "01000000").status());
            CliRun gone = cli("map", "lookup", id, "--key", "01000000");
            assertEquals(1, gone.status());
            assertTrue(gone.err().contains("not found"), gone.err());
            assertEquals(2, cli("map", "lookup", id, "--key", "xyz").status(), "bad hex is a usage error");
            Files.walk(pins).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, cli("attach", "xdp").status(), "missing --dev and PIN");
        assertEquals(2, cli("load", "x.o", "--pin", "/sys/fs/bpf/x").status(), "neither --dev nor --host");
        CliRun bogus = cli("detach", "xdp", "--dev", "lo", "--mode", "sideways");
        assertEquals(2, bogus.status());
        assertTrue(bogus.err().contains("XDP mode must be hw, drv or skb"), bogus.err());
    }
}

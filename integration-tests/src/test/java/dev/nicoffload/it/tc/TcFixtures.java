package dev.nicoffload.it.tc;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.tc.ClassicBpf;
import dev.nicoffload.offload.tc.HwTcOffload;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import org.junit.jupiter.api.function.Executable;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shared set-up of the TC tests: the sample program loaded bound or on the host, the cBPF of test_offload.py. */
final class TcFixtures {

    /** The sample program's name (SEC("tc"), returns TC_ACT_SHOT). */
    static final String TC_DROP = "tc_drop";
    /** test_offload.py's classic program: one {@code ret #-1}. */
    static final ClassicBpf RET_MINUS_ONE = ClassicBpf.parse("1,6 0 0 4294967295,");
    /** The netdevsim refusal of a second TC program, or of TC next to XDP-HW. */
    static final String MISMATCH = "netdevsim: driver and netdev offload states mismatch";

    private TcFixtures() {
    }

    static OffloadDevice device(NetdevsimPort port) {
        return NicOffload.device(port.name());
    }

    /** The port as an offload device with {@code hw-tc-offload} turned on (test_offload.py's {@code ethtool -K ... on}). */
    static OffloadDevice tcOffloadOn(NetdevsimPort port) {
        OffloadDevice eth = device(port);
        HwTcOffload.set(eth, true);
        return eth;
    }

    /** tc_drop loaded bound to {@code device} (what {@code tc ... skip_sw} loads). */
    static LoadedObject bound(OffloadDevice device) {
        return NicOffload.load(SampleObjects.TC_DROP.bytes(), LoadOptions.offloadTo(device));
    }

    /** tc_drop loaded on the host (what {@code tc} loads without skip_sw). */
    static LoadedObject host() {
        return NicOffload.load(SampleObjects.TC_DROP.bytes(), LoadOptions.host());
    }

    static boolean programListed(int id) {
        return NicOffload.programs().stream().anyMatch(p -> p.id() == id);
    }

    /** Whether the kernel still has program {@code id}, an orphan (bound to a removed device) included. */
    static boolean programExists(int id) {
        return Inventory.programs(true).stream().anyMatch(p -> p.id() == id);
    }

    /** Asserts that {@code call} fails with {@code type} carrying {@code errno} and exactly the extack {@code text} (null: none). */
    static <T extends OffloadException> T assertRejected(Class<T> type, int errno, String text, Executable call) {
        T t = assertRejected(type, errno, call);
        assertEquals(text, t.extack().orElse(null), () -> "extack of " + t.getMessage());
        return t;
    }

    /** Asserts that {@code call} fails with {@code type} carrying {@code errno}. */
    static <T extends OffloadException> T assertRejected(Class<T> type, int errno, Executable call) {
        OffloadException e = assertThrows(OffloadException.class, call);
        T t = assertInstanceOf(type, e);
        assertEquals(errno, t.errno(), () -> "errno of " + t.getMessage());
        return t;
    }
}

package dev.nicoffload.it.tc;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.tc.ClassicBpf;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Shared set-up of the TC tests: the sample program loaded bound or on the host, the cBPF of test_offload.py. */
final class TcFixtures {

    /** The sample program's name (SEC("tc"), returns TC_ACT_SHOT). */
    static final String TC_DROP = "tc_drop";
    /** test_offload.py's classic program: one {@code ret #-1}. */
    static final ClassicBpf RET_MINUS_ONE = ClassicBpf.parse("1,6 0 0 4294967295,");

    private TcFixtures() {
    }

    static OffloadDevice device(NetdevsimPort port) {
        return NicOffload.device(port.name());
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

    /** Asserts that {@code e} is of {@code type} and carries {@code errno} and exactly the extack {@code text}. */
    static <T extends OffloadException> T rejected(Class<T> type, int errno, String text, Throwable e) {
        T t = assertInstanceOf(type, e);
        assertEquals(errno, t.errno(), () -> "errno of " + t.getMessage());
        assertEquals(text, t.extack().orElse(null), () -> "extack of " + t.getMessage());
        return t;
    }

    /** True as soon as {@code condition} holds (the kernel frees programs in deferred work); false after 10 s. */
    static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}

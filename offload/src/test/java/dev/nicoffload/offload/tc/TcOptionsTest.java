package dev.nicoffload.offload.tc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The option presets and the argument checks made before the kernel is asked. */
class TcOptionsTest {

    @Test
    void presetsCarryTheOffloadFlagsAndTheOffloadableIdentity() {
        TcOptions o = TcOptions.offloaded();
        assertTrue(o.skipSw());
        assertFalse(o.skipHw());
        assertTrue(o.directAction());
        assertEquals(TcDirection.INGRESS, o.direction());
        assertEquals(0, o.chain());
        assertEquals(1, o.priority());
        assertEquals(1, o.handle());
        assertEquals(0x0003, o.protocol());
        assertTrue(TcOptions.software().skipHw());
        assertFalse(TcOptions.software().skipSw());
        assertFalse(TcOptions.defaults().skipSw() || TcOptions.defaults().skipHw());
    }

    @Test
    void withersReturnModifiedCopies() {
        TcOptions o = TcOptions.offloaded().withChain(1).withPriority(7).withHandle(0xabc).withProtocol(0x0800)
                .withDirection(TcDirection.EGRESS).withDirectAction(false).withName("f");
        assertEquals(1, o.chain());
        assertEquals(7, o.priority());
        assertEquals(0xabc, o.handle());
        assertEquals(0x0800, o.protocol());
        assertEquals(TcDirection.EGRESS, o.direction());
        assertFalse(o.directAction());
        assertEquals("f", o.name().orElseThrow());
        assertEquals(0, TcOptions.offloaded().chain(), "the preset is unchanged");
        assertNotEquals(TcOptions.offloaded(), o);
        assertEquals(TcOptions.offloaded(), TcOptions.defaults().withSkipSw(true));
        assertEquals("TcOptions[egress chain 1 prio 7 handle 0xabc protocol 0x800 skip_sw name f]", o.toString());
    }

    @Test
    void valuesTheKernelCouldNeverTakeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TcOptions.offloaded().withSkipHw(true));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withPriority(0));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withPriority(0x10000));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withHandle(0));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withProtocol(-1));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withProtocol(0x10000));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withName(""));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withName("a\0b"));
        assertThrows(NullPointerException.class, () -> TcOptions.defaults().withDirection(null));
        assertEquals(0xffffffff, TcOptions.defaults().withChain(-1).chain(), "chains are unsigned 32-bit");
    }
}

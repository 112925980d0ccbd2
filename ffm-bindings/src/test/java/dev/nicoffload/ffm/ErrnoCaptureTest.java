package dev.nicoffload.ffm;

import dev.nicoffload.ffm.bpf.BpfSyscall;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.libc.Ethtool;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.libc.SysResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libc and raw bpf(2) downcalls report the errno of the very call. */
class ErrnoCaptureTest {

    @Test
    void unknownInterfaceNameGivesEnodev() {
        SysResult r = LibC.ifNameToIndex("nosuchnic0");
        assertTrue(r.failed());
        assertEquals(Errno.ENODEV, r.errno());
    }

    @Test
    void loopbackResolvesBothWays() {
        SysResult r = LibC.ifNameToIndex("lo");
        assertFalse(r.failed());
        assertEquals("lo", LibC.ifIndexToName(r.intValue()).orElseThrow());
        assertTrue(LibC.ifIndexToName(0x7ffffff0).isEmpty());
    }

    @Test
    void closingABadFdGivesEbadf() {
        SysResult r = LibC.close(987654);
        assertTrue(r.failed());
        assertEquals(Errno.EBADF, r.errno());
    }

    @Test
    void bpfMapCreateWithBadSizesGivesEinvalAndGoodOneGivesAnFd() {
        SysResult bad = BpfSyscall.mapCreate(2 /* ARRAY */, "bad", 8, 8, 2, 0, 0); // array keys must be 4 bytes
        assertTrue(bad.failed());
        assertEquals(Errno.EINVAL, bad.errno());
        SysResult good = BpfSyscall.mapCreate(2, "good", 4, 8, 2, 0, 0);
        assertFalse(good.failed(), () -> "errno " + Errno.name(good.errno()));
        assertFalse(LibC.close(good.intValue()).failed());
    }

    @Test
    void bindingAProgramToLoopbackIsRefusedWithEopnotsupp() {
        byte[] prog = {(byte) 0xb7, 0, 0, 0, 2, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
        BpfSyscall.ProgLoadResult r = BpfSyscall.progLoad(6, prog, "GPL", LibC.ifNameToIndex("lo").intValue(), 0);
        assertTrue(r.result().failed());
        assertEquals(Errno.EOPNOTSUPP, r.result().errno());
    }

    @Test
    void verifierLogIsReturnedWhenAsked() {
        byte[] noExit = {(byte) 0xb7, 0, 0, 0, 2, 0, 0, 0}; // r0 = 2, falls off the end
        BpfSyscall.ProgLoadResult r = BpfSyscall.progLoad(6, noExit, "GPL", 0, 65536);
        assertTrue(r.result().failed());
        assertEquals(Errno.EINVAL, r.result().errno());
        assertTrue(r.verifierLog().contains("jump out of range") || r.verifierLog().contains("last insn"), r.verifierLog());
    }

    @Test
    void ethtoolDriverInfoOfLoopbackIsRefusedAndBadNamesAreArgumentErrors() {
        Ethtool.DriverInfo lo = Ethtool.driverInfo("lo");
        assertEquals(Errno.EOPNOTSUPP, lo.errno());
        assertThrows(IllegalArgumentException.class, () -> Ethtool.driverInfo("a-name-much-too-long"));
        assertThrows(IllegalArgumentException.class, () -> Ethtool.driverInfo(""));
    }

    @Test
    void errnoNamesAndMessages() {
        assertEquals("ENODEV", Errno.name(19));
        assertEquals("No such device", Errno.message(19));
        assertEquals("EOPNOTSUPP", Errno.name(95));
        assertEquals("ENOTSUPP", Errno.name(524));
        assertEquals("E9999", Errno.name(9999));
    }
}

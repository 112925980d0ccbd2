package dev.nicoffload.it.tc;

import dev.nicoffload.NicOffload;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.error.NotSupportedException;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.tc.HwTcOffload;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcDirection;
import dev.nicoffload.offload.tc.TcFilter;
import dev.nicoffload.offload.tc.TcOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nicoffload.it.tc.TcFixtures.TC_DROP;
import static dev.nicoffload.it.tc.TcFixtures.assertRejected;
import static dev.nicoffload.it.tc.TcFixtures.bound;
import static dev.nicoffload.it.tc.TcFixtures.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Devices without a TC offload hook: the simulated NFP (nfpsim0 verifies and JITs TC programs but
 * has no {@code ndo_setup_tc}, nfpsim README "Gaps") and loopback (hw-tc-offload fixed off). The
 * library says so with typed errors instead of pretending.
 */
class TcOnNfpsimTest {

    @Test
    void nfpsimRefusesSkipSwFiltersAndKeepsOthersInSoftware() {
        OffloadDevice nfp = NicOffload.device("nfpsim0");
        boolean wasOn = HwTcOffload.isEnabled(nfp);
        boolean created = Tc.ensureClsact(nfp);
        try (LoadedObject b = bound(nfp); LoadedObject h = host()) {
            HwTcOffload.set(nfp, true); // nfpsim0 has the feature flag, only not the hook behind it
            assertTrue(b.program(TC_DROP).info().jitedLength() > 0, "the NFP JIT translated the TC program");
            assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP, null,
                    () -> b.program(TC_DROP).attachTc(nfp, TcOptions.offloaded()));
            TcFilter sw = Tc.addFilter(nfp, h.program(TC_DROP), TcOptions.defaults());
            assertFalse(sw.inHw());
            assertTrue(sw.kernelWarning().isEmpty());
            Tc.deleteFilter(nfp, TcOptions.defaults());
            assertEquals(List.of(), Tc.filters(nfp, TcDirection.INGRESS));
        } finally {
            if (created) {
                Tc.removeClsact(nfp);
            }
            HwTcOffload.set(nfp, wasOn);
        }
    }

    @Test
    void loopbackCannotChangeHwTcOffload() {
        OffloadDevice lo = NicOffload.device("lo");
        assertFalse(HwTcOffload.isSupported(lo));
        assertRejected(NotSupportedException.class, Errno.EOPNOTSUPP, () -> HwTcOffload.set(lo, true));
        assertFalse(HwTcOffload.isEnabled(lo));
    }
}

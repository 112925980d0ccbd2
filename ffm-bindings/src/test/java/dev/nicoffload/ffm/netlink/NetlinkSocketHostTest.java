package dev.nicoffload.ffm.netlink;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FFM socket against the host kernel: dumps, generic-netlink family lookup, an error with extack. */
class NetlinkSocketHostTest {

    @Test
    void qdiscDumpListsTheLoopbackQdisc() {
        NlReply r = NetlinkSocket.transactOnce(NetlinkSocket.ROUTE, TcCodec.dumpQdiscs());
        assertTrue(r.ok(), () -> "errno " + r.status().errno());
        List<TcCodec.Qdisc> qdiscs = TcCodec.parseQdiscs(r.messages());
        assertTrue(qdiscs.stream().anyMatch(q -> q.ifindex() == 1), "lo (ifindex 1) has a root qdisc: " + qdiscs);
    }

    @Test
    void ethtoolFamilyResolvesAndReportsLoopbackFeatures() {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.GENERIC)) {
            NlReply fam = s.transact(EthtoolCodec.getFamily(EthtoolCodec.FAMILY));
            assertTrue(fam.ok(), () -> "errno " + fam.status().errno());
            int id = EthtoolCodec.familyId(fam.messages()).orElseThrow();
            assertTrue(id > EthtoolCodec.GENL_ID_CTRL);
            NlReply features = s.transact(EthtoolCodec.getFeatures(id, 1));
            assertTrue(features.ok(), () -> "errno " + features.status().errno());
            var hw = EthtoolCodec.bitset(features.messages(), EthtoolCodec.A_FEATURES_ACTIVE);
            assertEquals(Boolean.TRUE, hw.get("loopback"), "lo has the loopback feature on: " + hw);
        }
    }

    @Test
    void unknownFamilyFailsWithErrnoAndSocketKeepsWorking() {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.GENERIC)) {
            NlReply r = s.transact(EthtoolCodec.getFamily("no-such-family-x"));
            assertFalse(r.ok());
            assertEquals(22, r.status().errno(), "ctrl_getfamily answers EINVAL for an unknown name");
            assertTrue(s.transact(EthtoolCodec.getFamily(EthtoolCodec.FAMILY)).ok(), "next request on the same socket");
        }
    }

    @Test
    void deletingAMissingClsactCarriesTheKernelsMessage() {
        NlReply r = NetlinkSocket.transactOnce(NetlinkSocket.ROUTE, TcCodec.deleteClsact(1));
        assertFalse(r.ok());
        assertNotEquals(0, r.status().errno());
        if (r.status().errno() != 1) { // not EPERM: root in this netns gets the kernel's reason
            assertTrue(r.status().extack() != null && !r.status().extack().isBlank(), "extack: " + r.status());
        }
    }
}

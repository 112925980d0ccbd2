package dev.nicoffload.ffm.netlink;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Extended-ack parsing, sequence matching and reply completion, on hand-assembled kernel messages. */
class NetlinkAckAndReplyTest {

    /** NLMSG_ERROR as netlink_ack builds it with NETLINK_CAP_ACK and NETLINK_EXT_ACK set. */
    static byte[] errorMsg(int seq, int error, String extack) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        int flags = NetlinkWire.F_CAPPED | (extack == null ? 0 : NetlinkWire.F_ACK_TLVS);
        b.putInt(0).putShort((short) 2).putShort((short) flags).putInt(seq).putInt(1234);
        b.putInt(error);
        b.putInt(36).putShort((short) 44).putShort((short) 0x605).putInt(seq).putInt(0); // the request's header
        if (extack != null) {
            byte[] s = (extack + "\0").getBytes();
            b.putShort((short) (4 + s.length)).putShort((short) 1).put(s);
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
            b.putShort((short) 8).putShort((short) 2).putInt(20); // NLMSGERR_ATTR_OFFS
        }
        int len = b.position();
        b.putInt(0, len);
        byte[] out = new byte[len];
        b.get(0, out);
        return out;
    }

    static byte[] doneMsg(int seq, int error) {
        return ByteBuffer.allocate(20).order(ByteOrder.nativeOrder())
                .putInt(20).putShort((short) 3).putShort((short) NetlinkWire.F_MULTI).putInt(seq).putInt(0).putInt(error).array();
    }

    static byte[] dataMsg(int type, int seq) {
        return new NlRequest(type, NetlinkWire.F_MULTI).header(new byte[20]).string(1, "bpf").toBytes(seq);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static List<NlMessage> parse(byte[] d) {
        return NlMessage.parseDatagram(d, d.length);
    }

    @Test
    void errorCarriesErrnoAndExtackText() {
        NetlinkAck ack = parse(errorMsg(7, -22, "Driver supports only offload of chain 0")).get(0).status();
        assertEquals(22, ack.errno());
        assertEquals("Driver supports only offload of chain 0", ack.extack());
        assertFalse(ack.ok());
    }

    @Test
    void ackWithMessageIsAWarningNotAnError() {
        NetlinkAck ack = parse(errorMsg(7, 0, "netdevsim: some warning")).get(0).status();
        assertTrue(ack.ok());
        assertEquals("netdevsim: some warning", ack.extack());
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequest() {
        // without NETLINK_CAP_ACK the whole request (here 36 bytes) precedes the TLVs
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
        b.putInt(0).putShort((short) 2).putShort((short) NetlinkWire.F_ACK_TLVS).putInt(1).putInt(0);
        b.putInt(-16);
        b.putInt(36).putShort((short) 44).putShort((short) 5).putInt(1).putInt(0).put(new byte[20]);
        b.putShort((short) 9).putShort((short) 1).put("busy\0".getBytes()).put(new byte[3]);
        int len = b.position();
        b.putInt(0, len);
        NetlinkAck ack = NlMessage.parseDatagram(b.array(), len).get(0).status();
        assertEquals(16, ack.errno());
        assertEquals("busy", ack.extack());
    }

    @Test
    void doneCarriesTheDumpStatus() {
        assertEquals(new NetlinkAck(0, null), parse(doneMsg(3, 0)).get(0).status());
        assertEquals(new NetlinkAck(19, null), parse(doneMsg(3, -19)).get(0).status());
        assertNull(parse(dataMsg(44, 3)).get(0).status());
    }

    @Test
    void dumpCollectsEveryPartUntilDoneAndIgnoresStaleSequences() {
        NlReplyCollector c = new NlReplyCollector(10, true, 1 << 20);
        assertFalse(c.accept(parse(concat(dataMsg(44, 10), errorMsg(9, -2, "stale"), dataMsg(44, 9)))));
        assertFalse(c.complete());
        assertThrows(IllegalStateException.class, c::reply);
        assertTrue(c.accept(parse(concat(dataMsg(44, 10), doneMsg(10, 0), dataMsg(44, 10)))));
        NlReply r = c.reply();
        assertTrue(r.ok());
        assertEquals(2, r.messages().size(), "the part after DONE is not taken");
    }

    @Test
    void requestCompletesAtItsAckWithTheEchoBeforeIt() {
        NlReplyCollector c = new NlReplyCollector(5, false, 1 << 20);
        assertTrue(c.accept(parse(concat(dataMsg(44, 5), errorMsg(5, 0, null)))));
        assertEquals(1, c.reply().messages().size());
        assertTrue(c.reply().ok());
    }

    @Test
    void failedDumpEndsAtTheError() {
        NlReplyCollector c = new NlReplyCollector(5, true, 1 << 20);
        assertTrue(c.accept(parse(errorMsg(5, -1, "Operation not permitted here"))));
        assertEquals(1, c.reply().status().errno());
        assertEquals("Operation not permitted here", c.reply().status().extack());
    }

    @Test
    void replyLargerThanTheBoundIsRefused() {
        NlReplyCollector c = new NlReplyCollector(5, true, 40);
        NetlinkFormatException e = assertThrows(NetlinkFormatException.class,
                () -> c.accept(parse(concat(dataMsg(44, 5), dataMsg(44, 5)))));
        assertTrue(e.getMessage().contains("bound"));
    }
}

package dev.nicoffload.ffm;

import dev.nicoffload.ffm.netlink.NetlinkAck;
import dev.nicoffload.ffm.netlink.NetlinkCodec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The rtnetlink encoder and ack decoder, against byte layouts written out by hand from the uapi. */
class NetlinkCodecTest {

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    @Test
    void setXdpEncodesHeaderIfinfomsgAndNestedXdpAttributes() {
        byte[] msg = NetlinkCodec.setXdp(77, 5, 9, 8 | 1, -1);
        ByteBuffer want = le(16 + 16 + 4 + 8 + 8);
        want.putInt(52).putShort((short) 19).putShort((short) (1 | 4)).putInt(77).putInt(0); // nlmsghdr
        want.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(5).putInt(0).putInt(0); // ifinfomsg
        want.putShort((short) 20).putShort((short) (43 | 0x8000));                          // IFLA_XDP, nested
        want.putShort((short) 8).putShort((short) 1).putInt(9);                              // IFLA_XDP_FD
        want.putShort((short) 8).putShort((short) 3).putInt(9);                              // IFLA_XDP_FLAGS
        assertArrayEquals(want.array(), msg);
    }

    @Test
    void expectedFdIsSentOnlyWhenGiven() {
        byte[] msg = NetlinkCodec.setXdp(1, 5, -1, 8 | 16, 12);
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder());
        assertEquals(60, b.getInt(0));
        assertEquals(8, b.getShort(52));
        assertEquals(8, b.getShort(54), "IFLA_XDP_EXPECTED_FD");
        assertEquals(12, b.getInt(56));
        assertEquals(-1, b.getInt(40), "detach: fd -1");
    }

    /** An NLMSG_ERROR the way the kernel sends it with extended acks and a capped request. */
    private static ByteBuffer errorReply(int seq, int error, String extack) {
        byte[] text = extack == null ? new byte[0] : (extack + "\0").getBytes(StandardCharsets.UTF_8);
        int attrLen = extack == null ? 0 : 4 + text.length;
        int attrPadded = (attrLen + 3) & ~3;
        int len = 16 + 4 + 16 + attrPadded;
        ByteBuffer b = le(len + 8);
        short flags = (short) (0x100 | (extack == null ? 0 : 0x200));
        b.putInt(len).putShort((short) 2).putShort(flags).putInt(seq).putInt(1234);
        b.putInt(error);
        b.putInt(52).putShort((short) 19).putShort((short) 5).putInt(seq).putInt(0); // the request's header
        if (extack != null) {
            b.putShort((short) attrLen).putShort((short) 1).put(text);
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
        }
        b.flip();
        return b;
    }

    @Test
    void errorWithExtackGivesErrnoAndMessage() {
        NetlinkAck ack = NetlinkCodec.findAck(errorReply(42, -22, "netdevsim: program bound to different dev"), 42);
        assertEquals(22, ack.errno());
        assertEquals("netdevsim: program bound to different dev", ack.extack());
    }

    @Test
    void successAckHasNoErrnoAndNoText() {
        NetlinkAck ack = NetlinkCodec.findAck(errorReply(3, 0, null), 3);
        assertEquals(0, ack.errno());
        assertNull(ack.extack());
    }

    @Test
    void repliesForOtherSequenceNumbersAreSkipped() {
        assertNull(NetlinkCodec.findAck(errorReply(3, -1, "x"), 4));
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequestPayload() {
        // without NLM_F_CAPPED the kernel echoes the whole request before the attributes
        byte[] req = NetlinkCodec.setXdp(9, 2, 3, 4, -1);
        byte[] text = "XDP program already attached\0".getBytes(StandardCharsets.UTF_8);
        int attrLen = 4 + text.length;
        int len = 16 + 4 + req.length + ((attrLen + 3) & ~3);
        ByteBuffer b = le(len);
        b.putInt(len).putShort((short) 2).putShort((short) 0x200).putInt(9).putInt(0).putInt(-16).put(req);
        b.putShort((short) attrLen).putShort((short) 1).put(text);
        b.position(0);
        NetlinkAck ack = NetlinkCodec.findAck(b, 9);
        assertEquals(16, ack.errno());
        assertEquals("XDP program already attached", ack.extack());
    }
}

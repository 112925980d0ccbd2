package dev.nicoffload.ffm.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Malformed datagrams end in {@link NetlinkFormatException}, never in another exception from inside the parser. */
class NetlinkMalformedInputTest {

    private static byte[] valid() {
        byte[] a = TcCodec.newFilter(false, 4, TcCodec.PARENT_INGRESS, 1, 1, 3, 0,
                new TcCodec.BpfSource(12, "tc_drop", null), true, TcCodec.CLS_FLAGS_SKIP_SW).toBytes(1);
        byte[] b = NetlinkAckAndReplyTest.errorMsg(1, -22, "TC offload is disabled on net device");
        return NetlinkAckAndReplyTest.concat(a, b);
    }

    @Test
    void messageLengthPastTheDatagramIsRefused() {
        byte[] d = valid();
        ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putInt(0, d.length + 4);
        NetlinkFormatException e = assertThrows(NetlinkFormatException.class, () -> NlMessage.parseDatagram(d, d.length));
        assertEquals(0, e.offset());
    }

    @Test
    void messageLengthBelowTheHeaderIsRefused() {
        byte[] d = valid();
        ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putInt(0, 8);
        assertThrows(NetlinkFormatException.class, () -> NlMessage.parseDatagram(d, d.length));
    }

    @Test
    void trailingGarbageIsRefused() {
        byte[] d = NetlinkAckAndReplyTest.concat(valid(), new byte[] {1, 2, 3});
        assertThrows(NetlinkFormatException.class, () -> NlMessage.parseDatagram(d, d.length));
        assertThrows(NetlinkFormatException.class, () -> NlMessage.parseDatagram(d, d.length + 1));
    }

    @Test
    void attributeLengthPastItsNestIsRefused() {
        byte[] d = new NlRequest(44, 0).header(new byte[20]).begin(2).u32(6, 1).end().toBytes(1);
        // inner attribute at offset 16 + 20 + 4: claim 200 bytes
        ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putShort(40, (short) 200);
        NlMessage m = NlMessage.parseDatagram(d, d.length).get(0);
        NlAttr nest = m.attrs(20).first(2).orElseThrow();
        NetlinkFormatException e = assertThrows(NetlinkFormatException.class, nest::attrs);
        assertEquals(40, e.offset());
    }

    @Test
    void shortPayloadsAndUnterminatedStringsAreRefused() {
        NlAttr two = new NlAttr(1, false, new byte[2], 0);
        assertThrows(NetlinkFormatException.class, two::u32);
        assertThrows(NetlinkFormatException.class, two::u64);
        assertThrows(NetlinkFormatException.class, new NlAttr(1, false, new byte[0], 0)::u8);
        assertThrows(NetlinkFormatException.class, new NlAttr(1, false, "abc".getBytes(), 0)::string);
        assertEquals("ab", new NlAttr(1, false, "ab\0\0".getBytes(), 0).string());
    }

    @Test
    void familyHeaderLongerThanThePayloadIsRefused() {
        byte[] d = new NlRequest(44, 0).header(new byte[4]).toBytes(1);
        NlMessage m = NlMessage.parseDatagram(d, d.length).get(0);
        assertThrows(NetlinkFormatException.class, () -> m.attrs(TcCodec.TCMSG_LEN));
        assertThrows(NetlinkFormatException.class, () -> TcCodec.parseFilters(List.of(m)));
    }

    @Test
    void truncatedErrorMessagesAreRefused() {
        byte[] err = NetlinkAckAndReplyTest.errorMsg(1, -22, "x");
        for (int cut : new int[] {4, 16}) {
            byte[] d = new byte[16 + cut];
            System.arraycopy(err, 0, d, 0, d.length);
            ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).putInt(0, d.length);
            NlMessage m = NlMessage.parseDatagram(d, d.length).get(0);
            assertThrows(NetlinkFormatException.class, m::status);
        }
    }

    /** Every single-byte corruption and every truncation of a valid datagram either parses or is a NetlinkFormatException. */
    @Test
    void corruptedDatagramsNeverEscapeAsOtherExceptions() {
        byte[] base = valid();
        Random rnd = new Random(42);
        int formatErrors = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] d = base.clone();
            int n = 1 + rnd.nextInt(3);
            for (int k = 0; k < n; k++) {
                d[rnd.nextInt(d.length)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(10) == 0 ? rnd.nextInt(d.length + 1) : d.length;
            try {
                List<NlMessage> ms = NlMessage.parseDatagram(d, len);
                for (NlMessage m : ms) {
                    m.status();
                    TcCodec.parseFilters(List.of(m));
                    EthtoolCodec.bitset(List.of(m), EthtoolCodec.A_FEATURES_ACTIVE);
                }
                new NlReplyCollector(1, true, 1 << 20).accept(ms);
            } catch (NetlinkFormatException expected) {
                formatErrors++;
            } catch (RuntimeException other) {
                fail("input " + java.util.HexFormat.of().formatHex(d, 0, len) + " escaped as " + other, other);
            }
        }
        assertTrue(formatErrors > 1000, "the corruption reached the checks: " + formatErrors);
    }
}

package dev.nicoffload.ffm.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request builder and the message/attribute parser against each other and against hand-assembled bytes. */
class NetlinkCodecRoundTripTest {

    @Test
    void nestedAttributesRoundTrip() {
        byte[] msg = new NlRequest(44, NetlinkWire.F_CREATE)
                .header(new byte[] {1, 2, 3})
                .u8(1, 0xfe).u16(2, 0xbeef).u32(3, 0xdeadbeef).string(4, "bpf")
                .begin(5).u32(1, 7).begin(2).flag(3).string(4, "x").end().end()
                .toBytes(99, NetlinkWire.F_ACK);
        assertEquals(0, msg.length % 4);
        List<NlMessage> parsed = NlMessage.parseDatagram(msg, msg.length);
        assertEquals(1, parsed.size());
        NlMessage m = parsed.get(0);
        assertEquals(44, m.type());
        assertEquals(NetlinkWire.F_REQUEST | NetlinkWire.F_CREATE | NetlinkWire.F_ACK, m.flags());
        assertEquals(99, m.seq());
        NlAttrs a = m.attrs(3);
        assertEquals(0xfe, a.first(1).orElseThrow().u8());
        assertEquals(0xbeef, a.first(2).orElseThrow().u16());
        assertEquals(0xdeadbeef, a.first(3).orElseThrow().u32());
        assertEquals("bpf", a.first(4).orElseThrow().string());
        NlAttr nest = a.first(5).orElseThrow();
        assertTrue(nest.nested());
        assertEquals(7, nest.attrs().first(1).orElseThrow().u32());
        NlAttrs inner = nest.attrs().first(2).orElseThrow().attrs();
        assertTrue(inner.has(3));
        assertEquals("x", inner.first(4).orElseThrow().string());
        assertFalse(inner.has(1));
    }

    @Test
    void clsactRequestMatchesHandAssembledBytes() {
        // nlmsghdr(len 48, RTM_NEWQDISC, REQUEST|ACK|EXCL|CREATE, seq 5, pid 0)
        // tcmsg(AF_UNSPEC, ifindex 7, handle ffff0000, parent fffffff1, info 0), TCA_KIND "clsact\0" (len 11, padded)
        String expected = "30000000" + "2400" + "0506" + "05000000" + "00000000"
                + "00000000" + "07000000" + "0000ffff" + "f1ffffff" + "00000000"
                + "0b00" + "0100" + "636c7361637400" + "00"; // 11-byte attribute padded to 12
        byte[] actual = TcCodec.addClsact(7, true).toBytes(5, NetlinkWire.F_ACK);
        assertEquals(expected, HexFormat.of().formatHex(actual));
    }

    @Test
    void filterInfoPutsPriorityHighAndProtocolInNetworkOrder() {
        // prio 1, ETH_P_ALL (0x0003) -> htons = 0x0300
        assertEquals(0x00010300, TcCodec.filterInfo(1, 3));
        // prio 49152, ETH_P_IP (0x0800) -> 0x0008
        assertEquals(0xc0000008, TcCodec.filterInfo(49152, 0x0800));
    }

    @Test
    void filterRequestCarriesOptionsAndFlags() {
        byte[] msg = TcCodec.newFilter(false, 4, TcCodec.PARENT_INGRESS, 1, 1, 3, 0,
                new TcCodec.BpfSource(12, "tc_drop", null), true, TcCodec.CLS_FLAGS_SKIP_SW).toBytes(1);
        NlMessage m = NlMessage.parseDatagram(msg, msg.length).get(0);
        assertEquals(NetlinkWire.F_REQUEST | NetlinkWire.F_CREATE | NetlinkWire.F_EXCL | NetlinkWire.F_ECHO, m.flags());
        ByteBuffer h = m.buffer();
        assertEquals(4, h.getInt(4));
        assertEquals(1, h.getInt(8));
        assertEquals(0xfffffff2, h.getInt(12));
        NlAttrs a = m.attrs(TcCodec.TCMSG_LEN);
        assertEquals("bpf", a.first(TcCodec.TCA_KIND).orElseThrow().string());
        assertEquals(0, a.first(TcCodec.TCA_CHAIN).orElseThrow().u32());
        NlAttrs o = a.first(TcCodec.TCA_OPTIONS).orElseThrow().attrs();
        assertEquals(12, o.first(TcCodec.TCA_BPF_FD).orElseThrow().u32());
        assertEquals("tc_drop", o.first(TcCodec.TCA_BPF_NAME).orElseThrow().string());
        assertEquals(1, o.first(TcCodec.TCA_BPF_FLAGS).orElseThrow().u32());
        assertEquals(2, o.first(TcCodec.TCA_BPF_FLAGS_GEN).orElseThrow().u32());
    }

    @Test
    void classicFilterCarriesOpsAndLength() {
        byte[] ret = {6, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}; // ret #-1
        byte[] msg = TcCodec.newFilter(true, 4, TcCodec.PARENT_INGRESS, 1, 1, 3, 0,
                new TcCodec.BpfSource(-1, null, ret), false, 0).toBytes(1);
        NlMessage m = NlMessage.parseDatagram(msg, msg.length).get(0);
        assertEquals(NetlinkWire.F_REPLACE, m.flags() & NetlinkWire.F_REPLACE);
        NlAttrs o = m.attrs(TcCodec.TCMSG_LEN).first(TcCodec.TCA_OPTIONS).orElseThrow().attrs();
        assertEquals(1, o.first(TcCodec.TCA_BPF_OPS_LEN).orElseThrow().u16());
        assertArrayEquals(ret, o.first(TcCodec.TCA_BPF_OPS).orElseThrow().payload());
        assertFalse(o.has(TcCodec.TCA_BPF_FD));
        assertFalse(o.has(TcCodec.TCA_BPF_FLAGS_GEN));
        assertThrows(IllegalArgumentException.class, () -> TcCodec.newFilter(true, 4, TcCodec.PARENT_INGRESS, 1, 1, 3, 0,
                new TcCodec.BpfSource(-1, null, new byte[7]), false, 0));
    }

    /** A filter message laid out by hand the way cls_bpf_dump fills it (tcf_fill_node + cls_bpf_dump). */
    @Test
    void kernelFilterMessageParses() {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
        b.putInt(0).putShort((short) 44).putShort((short) 0).putInt(3).putInt(0);          // nlmsghdr, len later
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(9).putInt(1).putInt(0xfffffff2).putInt(0x00010300); // tcmsg
        b.putShort((short) 8).putShort((short) 1).put("bpf\0".getBytes());                  // TCA_KIND
        b.putShort((short) 8).putShort((short) 11).putInt(0);                               // TCA_CHAIN 0
        int opt = b.position();
        b.putShort((short) 0).putShort((short) (2 | 0x8000));                                 // TCA_OPTIONS
        b.putShort((short) 8).putShort((short) 7).put("tcd\0".getBytes());                   // TCA_BPF_NAME
        b.putShort((short) 8).putShort((short) 8).putInt(1);                                 // TCA_BPF_FLAGS = direct action
        b.putShort((short) 8).putShort((short) 9).putInt(2 | 4);                             // FLAGS_GEN = skip_sw | in_hw
        b.putShort((short) 12).putShort((short) 10).put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // TCA_BPF_TAG
        b.putShort((short) 8).putShort((short) 11).putInt(42);                               // TCA_BPF_ID
        b.putShort(opt, (short) (b.position() - opt));
        int len = b.position();
        b.putInt(0, len);
        List<TcCodec.Filter> filters = TcCodec.parseFilters(NlMessage.parseDatagram(b.array(), len));
        assertEquals(1, filters.size());
        TcCodec.Filter f = filters.get(0);
        assertEquals(9, f.ifindex());
        assertEquals(1, f.handle());
        assertEquals(1, f.priority());
        assertEquals(3, f.protocol());
        assertEquals(0, f.chain());
        assertEquals(42, f.progId());
        assertEquals("tcd", f.name());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, f.tag());
        assertEquals(1, f.bpfFlags());
        assertEquals(6, f.genFlags());
    }

    @Test
    void filterDumpHeaderEntriesAreSkipped() {
        // the per-priority entry of a dump: handle 0, kind but no options
        byte[] msg = new NlRequest(TcCodec.RTM_NEWTFILTER, 0)
                .header(TcCodec.tcmsg(9, 0, TcCodec.PARENT_INGRESS, TcCodec.filterInfo(1, 3)))
                .string(TcCodec.TCA_KIND, "bpf").toBytes(1);
        assertTrue(TcCodec.parseFilters(NlMessage.parseDatagram(msg, msg.length)).isEmpty());
    }

    @Test
    void ethtoolBitsetsReadNamedBits() {
        // FEATURES_GET_REPLY: ACTIVE as a NOMASK list of set bits; WANTED with a mask and VALUE flags
        byte[] msg = new NlRequest(27, 0).header(new byte[] {11, 1, 0, 0})
                .begin(EthtoolCodec.A_FEATURES_ACTIVE).flag(EthtoolCodec.A_BITSET_NOMASK).u32(2, 64)
                .begin(EthtoolCodec.A_BITSET_BITS)
                .begin(1).u32(1, 55).string(2, "hw-tc-offload").end()
                .end().end()
                .begin(EthtoolCodec.A_FEATURES_WANTED).u32(2, 64).begin(EthtoolCodec.A_BITSET_BITS)
                .begin(1).u32(1, 55).string(2, "hw-tc-offload").end()
                .begin(1).u32(1, 1).string(2, "tx-checksum-ipv4").flag(3).end()
                .end().end()
                .toBytes(1);
        List<NlMessage> reply = NlMessage.parseDatagram(msg, msg.length);
        assertEquals(java.util.Map.of("hw-tc-offload", true), EthtoolCodec.bitset(reply, EthtoolCodec.A_FEATURES_ACTIVE));
        assertEquals(java.util.Map.of("hw-tc-offload", false, "tx-checksum-ipv4", true),
                EthtoolCodec.bitset(reply, EthtoolCodec.A_FEATURES_WANTED));
        assertTrue(EthtoolCodec.bitset(reply, EthtoolCodec.A_FEATURES_HW).isEmpty());
    }

    @Test
    void featuresSetRequestNamesTheBitAndOmitsTheReply() {
        byte[] msg = EthtoolCodec.setFeatures(27, 5, java.util.Map.of("hw-tc-offload", false)).toBytes(1);
        NlAttrs a = NlMessage.parseDatagram(msg, msg.length).get(0).attrs(EthtoolCodec.GENLMSGHDR_LEN);
        NlAttrs header = a.first(EthtoolCodec.A_FEATURES_HEADER).orElseThrow().attrs();
        assertEquals(5, header.first(EthtoolCodec.A_HEADER_DEV_INDEX).orElseThrow().u32());
        assertEquals(EthtoolCodec.FLAG_OMIT_REPLY, header.first(EthtoolCodec.A_HEADER_FLAGS).orElseThrow().u32());
        NlAttrs bit = a.first(EthtoolCodec.A_FEATURES_WANTED).orElseThrow().attrs()
                .first(EthtoolCodec.A_BITSET_BITS).orElseThrow().attrs().first(EthtoolCodec.A_BITSET_BITS_BIT).orElseThrow().attrs();
        assertEquals("hw-tc-offload", bit.first(EthtoolCodec.A_BITSET_BIT_NAME).orElseThrow().string());
        assertFalse(bit.has(EthtoolCodec.A_BITSET_BIT_VALUE), "off = no VALUE flag");
        assertNull(a.first(EthtoolCodec.A_FEATURES_ACTIVE).orElse(null));
    }

    @Test
    void familyIdIsReadFromTheControllerReply() {
        byte[] msg = new NlRequest(EthtoolCodec.GENL_ID_CTRL, 0).header(new byte[] {1, 2, 0, 0})
                .string(EthtoolCodec.CTRL_ATTR_FAMILY_NAME, "ethtool").u16(EthtoolCodec.CTRL_ATTR_FAMILY_ID, 21).toBytes(3);
        assertEquals(21, EthtoolCodec.familyId(NlMessage.parseDatagram(msg, msg.length)).orElseThrow());
    }

    @Test
    void builderMisuseIsAnArgumentError() {
        assertThrows(IllegalStateException.class, () -> new NlRequest(1, 0).begin(1).toBytes(1));
        assertThrows(IllegalStateException.class, () -> new NlRequest(1, 0).end());
        assertThrows(IllegalArgumentException.class, () -> new NlRequest(1, 0).u32(0x4000, 1));
        assertThrows(IllegalArgumentException.class, () -> new NlRequest(1, 0).attr(1, new byte[70000]));
        assertThrows(IllegalStateException.class, () -> new NlRequest(1, 0).u32(1, 1).header(new byte[4]));
        NlRequest big = new NlRequest(1, 0);
        assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 20; i++) {
                big.attr(1, new byte[60000]);
            }
        });
    }
}

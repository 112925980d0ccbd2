package dev.nicoffload.ffm.netlink;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Encodes the rtnetlink requests nicoffload sends and decodes the kernel's acknowledgements,
 * including the extended-ack text ({@code NLMSGERR_ATTR_MSG}). Pure Java over host-order buffers,
 * so it is unit-tested without a kernel. Built to be reused for TC (RTM_NEWTFILTER) requests.
 */
public final class NetlinkCodec {

    /** {@code NLMSG_ERROR}. */
    public static final short NLMSG_ERROR = 2;
    /** {@code NLMSG_DONE}. */
    public static final short NLMSG_DONE = 3;
    /** {@code RTM_SETLINK}. */
    public static final short RTM_SETLINK = 19;
    /** {@code NLM_F_REQUEST}. */
    public static final short NLM_F_REQUEST = 1;
    /** {@code NLM_F_ACK}. */
    public static final short NLM_F_ACK = 4;
    /** {@code NLM_F_CAPPED}: the error message carries only the request header. */
    public static final short NLM_F_CAPPED = 0x100;
    /** {@code NLM_F_ACK_TLVS}: extended-ack attributes follow the error. */
    public static final short NLM_F_ACK_TLVS = 0x200;
    /** {@code NLMSGERR_ATTR_MSG}. */
    public static final short NLMSGERR_ATTR_MSG = 1;
    /** {@code NLA_F_NESTED}. */
    public static final short NLA_F_NESTED = (short) 0x8000;
    /** {@code IFLA_XDP}. */
    public static final short IFLA_XDP = 43;
    /** {@code IFLA_XDP_FD}. */
    public static final short IFLA_XDP_FD = 1;
    /** {@code IFLA_XDP_FLAGS}. */
    public static final short IFLA_XDP_FLAGS = 3;
    /** {@code XDP_FLAGS_UPDATE_IF_NOEXIST}. */
    public static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
    /** {@code XDP_FLAGS_SKB_MODE}. */
    public static final int XDP_FLAGS_SKB_MODE = 2;
    /** {@code XDP_FLAGS_DRV_MODE}. */
    public static final int XDP_FLAGS_DRV_MODE = 4;
    /** {@code XDP_FLAGS_HW_MODE}. */
    public static final int XDP_FLAGS_HW_MODE = 8;
    /** {@code XDP_FLAGS_REPLACE}. */
    public static final int XDP_FLAGS_REPLACE = 16;
    /** {@code IFLA_XDP_EXPECTED_FD}. */
    public static final short IFLA_XDP_EXPECTED_FD = 8;
    /** {@code struct nlmsghdr}. */
    public static final StructLayout NLMSGHDR = MemoryLayout.structLayout(
            JAVA_INT.withName("nlmsg_len"), JAVA_SHORT.withName("nlmsg_type"), JAVA_SHORT.withName("nlmsg_flags"),
            JAVA_INT.withName("nlmsg_seq"), JAVA_INT.withName("nlmsg_pid"));
    /** {@code struct ifinfomsg}. */
    public static final StructLayout IFINFOMSG = MemoryLayout.structLayout(
            JAVA_BYTE.withName("ifi_family"), JAVA_BYTE.withName("__ifi_pad"), JAVA_SHORT.withName("ifi_type"),
            JAVA_INT.withName("ifi_index"), JAVA_INT.withName("ifi_flags"), JAVA_INT.withName("ifi_change"));
    /** {@code struct nlmsgerr}: the error code, then the request's header. */
    public static final StructLayout NLMSGERR = MemoryLayout.structLayout(
            JAVA_INT.withName("error"), NLMSGHDR.withName("msg"));
    /** {@code sizeof(struct nlmsghdr)}. */
    public static final int NLMSGHDR_LEN = (int) NLMSGHDR.byteSize();
    /** {@code sizeof(struct ifinfomsg)}. */
    public static final int IFINFOMSG_LEN = (int) IFINFOMSG.byteSize();

    private NetlinkCodec() {
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** A growable little request writer: header, fixed part, attributes, nesting. */
    public static final class Request {
        private final ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());

        /** Starts a message with the given type, flags and sequence number. */
        public Request(short type, short flags, int seq) {
            buf.putInt(0).putShort(type).putShort(flags).putInt(seq).putInt(0);
        }

        /** Appends {@code struct ifinfomsg} (family AF_UNSPEC) for {@code ifindex}. */
        public Request ifinfomsg(int ifindex) {
            buf.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(ifindex).putInt(0).putInt(0);
            return this;
        }

        /** Appends a u32/s32 attribute. */
        public Request attrInt(short type, int value) {
            buf.putShort((short) 8).putShort(type).putInt(value);
            return this;
        }

        /** Opens a nested attribute; returns its start position for {@link #endNested}. */
        public int beginNested(short type) {
            int start = buf.position();
            buf.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
            return start;
        }

        /** Closes a nested attribute opened at {@code start}. */
        public Request endNested(int start) {
            buf.putShort(start, (short) (buf.position() - start));
            return this;
        }

        /** The finished message bytes (length field filled in). */
        public byte[] toBytes() {
            int len = buf.position();
            buf.putInt(0, len);
            byte[] out = new byte[len];
            buf.get(0, out);
            return out;
        }
    }

    /** RTM_SETLINK with a nested IFLA_XDP: attach {@code progFd} (or detach with -1) in the given flags' mode. */
    public static byte[] setXdp(int seq, int ifindex, int progFd, int flags, int expectedFd) {
        Request r = new Request(RTM_SETLINK, (short) (NLM_F_REQUEST | NLM_F_ACK), seq).ifinfomsg(ifindex);
        int nest = r.beginNested(IFLA_XDP);
        r.attrInt(IFLA_XDP_FD, progFd);
        if (flags != 0) {
            r.attrInt(IFLA_XDP_FLAGS, flags);
        }
        if (expectedFd >= 0) {
            r.attrInt(IFLA_XDP_EXPECTED_FD, expectedFd);
        }
        r.endNested(nest);
        return r.toBytes();
    }

    /**
     * Looks through a datagram of replies for the acknowledgement of {@code seq}.
     *
     * @return the ack, or null when this datagram holds none for {@code seq}
     */
    public static NetlinkAck findAck(ByteBuffer reply, int seq) {
        ByteBuffer b = reply.duplicate().order(ByteOrder.nativeOrder());
        while (b.remaining() >= NLMSGHDR_LEN) {
            int start = b.position();
            int len = b.getInt(start);
            short type = b.getShort(start + 4);
            short flags = b.getShort(start + 6);
            int msgSeq = b.getInt(start + 8);
            if (len < NLMSGHDR_LEN || start + len > b.limit()) {
                return new NetlinkAck(71 /* EPROTO */, "truncated netlink reply");
            }
            if (msgSeq == seq && type == NLMSG_ERROR) {
                int error = b.getInt(start + NLMSGHDR_LEN);
                String extack = null;
                if ((flags & NLM_F_ACK_TLVS) != 0) {
                    int origLen = b.getInt(start + NLMSGHDR_LEN + 4);
                    int payloadOfOrig = (flags & NLM_F_CAPPED) != 0 ? NLMSGHDR_LEN : origLen;
                    int attrs = start + NLMSGHDR_LEN + 4 + align(payloadOfOrig);
                    extack = findStringAttr(b, attrs, start + len, NLMSGERR_ATTR_MSG);
                }
                return new NetlinkAck(-error, extack);
            }
            if (msgSeq == seq && type == NLMSG_DONE) {
                return new NetlinkAck(0, null);
            }
            b.position(start + align(len));
        }
        return null;
    }

    private static String findStringAttr(ByteBuffer b, int from, int to, short wanted) {
        int p = from;
        while (p + 4 <= to) {
            int alen = Short.toUnsignedInt(b.getShort(p));
            int atype = b.getShort(p + 2) & 0x3fff;
            if (alen < 4 || p + alen > to) {
                return null;
            }
            if (atype == wanted) {
                int n = alen - 4;
                while (n > 0 && b.get(p + 4 + n - 1) == 0) {
                    n--;
                }
                byte[] s = new byte[n];
                b.get(p + 4, s);
                return new String(s, StandardCharsets.UTF_8);
            }
            p += align(alen);
        }
        return null;
    }
}

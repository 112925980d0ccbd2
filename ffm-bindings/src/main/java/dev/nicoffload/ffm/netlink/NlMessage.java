package dev.nicoffload.ffm.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message as received: the {@code struct nlmsghdr} fields and the payload bytes
 * (family header and attributes, without padding).
 *
 * @param type    {@code nlmsg_type}
 * @param flags   {@code nlmsg_flags}
 * @param seq     {@code nlmsg_seq}
 * @param portId  {@code nlmsg_pid}
 * @param payload everything after the 16-byte header, up to {@code nlmsg_len}
 * @param offset  where the message starts in its datagram (for error messages)
 */
public record NlMessage(int type, int flags, int seq, int portId, byte[] payload, int offset) {

    /**
     * Splits one received datagram into messages, checking every {@code nlmsg_len}.
     *
     * @throws NetlinkFormatException when a length is out of range
     */
    public static List<NlMessage> parseDatagram(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new NetlinkFormatException("datagram length " + length + " outside a buffer of " + data.length, 0);
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<NlMessage> out = new ArrayList<>();
        int p = 0;
        while (length - p >= NetlinkWire.HEADER_LEN) {
            int len = b.getInt(p);
            if (len < NetlinkWire.HEADER_LEN || len > length - p) {
                throw new NetlinkFormatException("message length " + Integer.toUnsignedString(len)
                        + " does not fit (" + (length - p) + " bytes left)", p);
            }
            byte[] payload = new byte[len - NetlinkWire.HEADER_LEN];
            b.get(p + NetlinkWire.HEADER_LEN, payload);
            out.add(new NlMessage(Short.toUnsignedInt(b.getShort(p + 4)), Short.toUnsignedInt(b.getShort(p + 6)),
                    b.getInt(p + 8), b.getInt(p + 12), payload, p));
            p += Math.min(NetlinkWire.align(len), length - p);
        }
        if (p != length) {
            throw new NetlinkFormatException((length - p) + " trailing bytes after the last message", p);
        }
        return out;
    }

    /** The attributes after a family header of {@code fixedLen} bytes (e.g. 20 for {@code struct tcmsg}). */
    public NlAttrs attrs(int fixedLen) {
        int start = NetlinkWire.align(fixedLen);
        if (payload.length < fixedLen) {
            throw new NetlinkFormatException("message type " + type + " has " + payload.length
                    + " payload bytes, shorter than its " + fixedLen + "-byte header", offset);
        }
        return NlAttrs.parse(payload, Math.min(start, payload.length), payload.length, offset + NetlinkWire.HEADER_LEN);
    }

    /** The payload as a host-order buffer (for reading a family header). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
    }

    /**
     * Reads the status an {@code NLMSG_ERROR} or {@code NLMSG_DONE} message carries: the errno
     * (0 for a plain ack) and the extended-ack attributes when {@code NLM_F_ACK_TLVS} is set.
     * A message of another type gives null.
     *
     * @throws NetlinkFormatException when the message is too short for what its flags promise
     */
    public NetlinkAck status() {
        if (type != NetlinkWire.NLMSG_ERROR && type != NetlinkWire.NLMSG_DONE) {
            return null;
        }
        if (type == NetlinkWire.NLMSG_DONE && payload.length < 4) {
            return new NetlinkAck(0, null); // some families end dumps with an empty DONE
        }
        if (payload.length < 4) {
            throw new NetlinkFormatException("error message without an error code", offset);
        }
        int error = buffer().getInt(0);
        int tlvStart = 4;
        if (type == NetlinkWire.NLMSG_ERROR) {
            if (payload.length < 4 + NetlinkWire.HEADER_LEN) {
                throw new NetlinkFormatException("error message without the request's header", offset);
            }
            int origLen = buffer().getInt(4);
            boolean capped = (flags & NetlinkWire.F_CAPPED) != 0 || error == 0;
            // an ack (error 0) never carries the request payload; an error does unless capped
            int copied = capped ? NetlinkWire.HEADER_LEN : origLen;
            if (copied < NetlinkWire.HEADER_LEN) {
                throw new NetlinkFormatException("echoed request length " + copied + " is below the header size", offset);
            }
            tlvStart = 4 + NetlinkWire.align(copied);
        }
        String msg = null;
        if ((flags & NetlinkWire.F_ACK_TLVS) != 0) {
            if (tlvStart > payload.length) {
                throw new NetlinkFormatException("extended-ack attributes start past the message end", offset);
            }
            NlAttrs tlvs = NlAttrs.parse(payload, tlvStart, payload.length, offset + NetlinkWire.HEADER_LEN);
            msg = tlvs.first(NetlinkWire.ERR_ATTR_MSG).map(NlAttr::string).orElse(null);
        }
        return new NetlinkAck(error == Integer.MIN_VALUE ? Integer.MAX_VALUE : -error, msg);
    }
}

package dev.nicoffload.ffm.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One netlink attribute ({@code struct nlattr} and its payload) as read from a message. The
 * accessors check the payload length against the type they read and throw
 * {@link NetlinkFormatException} on a mismatch.
 *
 * @param type    the attribute type without the {@code NLA_F_NESTED} / {@code NLA_F_NET_BYTEORDER} bits
 * @param nested  whether the sender set {@code NLA_F_NESTED}
 * @param payload the payload bytes (without padding)
 * @param offset  where the attribute header starts in the parsed buffer (for error messages)
 */
public record NlAttr(int type, boolean nested, byte[] payload, int offset) {

    /** Payload as u8. */
    public int u8() {
        need(1, "u8");
        return Byte.toUnsignedInt(payload[0]);
    }

    /** Payload as host-order u16. */
    public int u16() {
        need(2, "u16");
        return Short.toUnsignedInt(buf().getShort(0));
    }

    /** Payload as host-order u32 (returned as a Java int holding the same bits). */
    public int u32() {
        need(4, "u32");
        return buf().getInt(0);
    }

    /** Payload as host-order u64. */
    public long u64() {
        need(8, "u64");
        return buf().getLong(0);
    }

    /** Payload as a NUL-terminated string ({@code NLA_NUL_STRING}); bytes after the first NUL are ignored. */
    public String string() {
        int n = 0;
        while (n < payload.length && payload[n] != 0) {
            n++;
        }
        if (n == payload.length) {
            throw new NetlinkFormatException("string attribute " + type + " has no terminating NUL", offset);
        }
        return new String(payload, 0, n, StandardCharsets.UTF_8);
    }

    /** The payload parsed as a sequence of attributes. */
    public NlAttrs attrs() {
        return NlAttrs.parse(payload, 0, payload.length, offset + NlAttrs.HEADER_LEN);
    }

    private void need(int size, String what) {
        if (payload.length < size) {
            throw new NetlinkFormatException("attribute " + type + " has " + payload.length + " bytes, too short for " + what, offset);
        }
    }

    private ByteBuffer buf() {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
    }
}

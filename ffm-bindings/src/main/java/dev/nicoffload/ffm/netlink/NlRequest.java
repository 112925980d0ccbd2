package dev.nicoffload.ffm.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds one netlink request: header, the family's fixed header, attributes and nested attributes.
 * The sequence number and length are filled in when the request is sent ({@link #toBytes(int)}).
 * Requests are bounded to {@link #MAX_LEN} bytes; exceeding it, an attribute over 65535 bytes or
 * an unclosed nest are programming errors ({@link IllegalStateException} / {@link IllegalArgumentException}).
 */
public final class NlRequest {

    /** Largest request this builder produces. */
    public static final int MAX_LEN = 64 * 1024;

    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> open = new ArrayDeque<>();
    private final int type;
    private final int flags;

    /** Starts a request of message type {@code type}; {@code NLM_F_REQUEST} is added to {@code flags}. */
    public NlRequest(int type, int flags) {
        this.type = type;
        this.flags = flags | NetlinkWire.F_REQUEST;
        ensure(NetlinkWire.HEADER_LEN);
        buf.position(NetlinkWire.HEADER_LEN);
    }

    /** The message type. */
    public int type() {
        return type;
    }

    /** The flags, including {@code NLM_F_REQUEST}. */
    public int flags() {
        return flags;
    }

    /** Appends raw bytes of a family header (e.g. {@code struct tcmsg}), padded to 4 bytes. */
    public NlRequest header(byte[] fixed) {
        if (buf.position() != NetlinkWire.HEADER_LEN) {
            throw new IllegalStateException("the family header must come before any attribute");
        }
        put(fixed);
        pad();
        return this;
    }

    /** Appends a u8 attribute. */
    public NlRequest u8(int attr, int value) {
        return attr(attr, new byte[] {(byte) value});
    }

    /** Appends a host-order u16 attribute. */
    public NlRequest u16(int attr, int value) {
        return attr(attr, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
    }

    /** Appends a host-order u32 attribute. */
    public NlRequest u32(int attr, int value) {
        return attr(attr, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** Appends a NUL-terminated string attribute. */
    public NlRequest string(int attr, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(attr, z);
    }

    /** Appends a flag attribute (no payload). */
    public NlRequest flag(int attr) {
        return attr(attr, new byte[0]);
    }

    /** Appends an attribute with a raw payload. */
    public NlRequest attr(int attr, byte[] payload) {
        checkType(attr);
        int len = NlAttrs.HEADER_LEN + payload.length;
        if (len > 0xffff) {
            throw new IllegalArgumentException("attribute " + attr + " payload of " + payload.length + " bytes exceeds 65531");
        }
        ensure(NetlinkWire.align(len));
        buf.putShort((short) len).putShort((short) attr);
        put(payload);
        pad();
        return this;
    }

    /** Opens a nested attribute ({@code NLA_F_NESTED} set); close it with {@link #end()}. */
    public NlRequest begin(int attr) {
        checkType(attr);
        ensure(NlAttrs.HEADER_LEN);
        open.push(buf.position());
        buf.putShort((short) 0).putShort((short) (attr | 0x8000));
        return this;
    }

    /** Closes the innermost open nest. */
    public NlRequest end() {
        if (open.isEmpty()) {
            throw new IllegalStateException("no nested attribute is open");
        }
        int start = open.pop();
        int len = buf.position() - start;
        if (len > 0xffff) {
            throw new IllegalArgumentException("nested attribute of " + len + " bytes exceeds 65535");
        }
        buf.putShort(start, (short) len);
        return this;
    }

    /** The finished message with sequence number {@code seq}. */
    public byte[] toBytes(int seq) {
        return toBytes(seq, 0);
    }

    /** The finished message with sequence number {@code seq} and {@code extraFlags} added to its flags. */
    public byte[] toBytes(int seq, int extraFlags) {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " nested attribute(s) left open");
        }
        int len = buf.position();
        ByteBuffer out = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        out.put(buf.array(), 0, len);
        out.putInt(0, len).putShort(4, (short) type).putShort(6, (short) (flags | extraFlags)).putInt(8, seq).putInt(12, 0);
        return out.array();
    }

    private static void checkType(int attr) {
        if (attr < 0 || attr > 0x3fff) {
            throw new IllegalArgumentException("attribute type out of range: " + attr);
        }
    }

    private void put(byte[] b) {
        ensure(b.length);
        buf.put(b);
    }

    private void pad() {
        int n = NetlinkWire.align(buf.position()) - buf.position();
        ensure(n);
        buf.put(new byte[n]);
    }

    private void ensure(int more) {
        if (buf.position() + more > MAX_LEN) {
            throw new IllegalStateException("netlink request would exceed " + MAX_LEN + " bytes");
        }
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_LEN, Math.max(buf.capacity() * 2, buf.position() + more)))
                    .order(ByteOrder.nativeOrder());
            bigger.put(buf.array(), 0, buf.position());
            buf = bigger;
        }
    }
}

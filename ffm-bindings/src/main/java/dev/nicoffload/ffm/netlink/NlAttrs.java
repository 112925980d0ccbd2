package dev.nicoffload.ffm.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed sequence of netlink attributes, in wire order. Parsing is strict: every
 * {@code nla_len} must be at least the header size and must fit in the enclosing buffer.
 *
 * @param list the attributes in the order they were sent
 */
public record NlAttrs(List<NlAttr> list) {

    /** {@code sizeof(struct nlattr)}. */
    public static final int HEADER_LEN = 4;
    private static final int TYPE_MASK = 0x3fff;
    private static final int NESTED = 0x8000;

    /** Copies the list. */
    public NlAttrs {
        list = List.copyOf(list);
    }

    /**
     * Parses {@code data[from, to)} as attributes.
     *
     * @param base offset of {@code data[0]} in the whole datagram, only for error messages
     * @throws NetlinkFormatException when a length is out of range
     */
    public static NlAttrs parse(byte[] data, int from, int to, int base) {
        if (from < 0 || to > data.length || from > to) {
            throw new NetlinkFormatException("attribute range " + from + ".." + to + " outside a buffer of " + data.length, base);
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        List<NlAttr> out = new ArrayList<>();
        int p = from;
        while (to - p >= HEADER_LEN) {
            int len = Short.toUnsignedInt(b.getShort(p));
            int rawType = Short.toUnsignedInt(b.getShort(p + 2));
            if (len < HEADER_LEN || len > to - p) {
                throw new NetlinkFormatException("attribute length " + len + " does not fit (" + (to - p) + " bytes left)", base + p);
            }
            byte[] payload = new byte[len - HEADER_LEN];
            b.get(p + HEADER_LEN, payload);
            out.add(new NlAttr(rawType & TYPE_MASK, (rawType & NESTED) != 0, payload, base + p));
            p += Math.min(NetlinkWire.align(len), to - p);
        }
        if (p != to) {
            throw new NetlinkFormatException((to - p) + " trailing bytes after the last attribute", base + p);
        }
        return new NlAttrs(out);
    }

    /** The first attribute of this type. */
    public Optional<NlAttr> first(int type) {
        for (NlAttr a : list) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Every attribute of this type, in order. */
    public List<NlAttr> all(int type) {
        return list.stream().filter(a -> a.type() == type).toList();
    }

    /** Whether an attribute of this type is present (flag attributes). */
    public boolean has(int type) {
        return first(type).isPresent();
    }
}

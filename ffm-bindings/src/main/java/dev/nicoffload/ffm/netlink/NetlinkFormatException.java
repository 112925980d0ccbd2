package dev.nicoffload.ffm.netlink;

/**
 * A netlink message or attribute does not have the shape its type promises: a length field that
 * runs past its buffer, an attribute too short for its declared type, a string without a
 * terminating NUL, a nesting deeper than allowed. The parser checks every length before it reads,
 * so malformed input (from the kernel or from a test) ends here and never in an index error from
 * inside {@link java.nio.ByteBuffer}.
 */
public final class NetlinkFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    /** Creates the exception for a defect found at byte {@code offset} of the datagram. */
    public NetlinkFormatException(String message, int offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset in the datagram (or attribute buffer) where the defect was found. */
    public int offset() {
        return offset;
    }
}

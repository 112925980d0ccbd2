package dev.nicoffload.maps.codec;

/** Records shared by the codec and host map tests. */
public final class CodecsTestRecords {

    private CodecsTestRecords() {
    }

    /** {@code struct { __u32 src; __u32 dst; __u16 port; __u8 proto; }}: 12 bytes with tail padding. */
    public record Flow(int src, int dst, short port, byte proto) {
    }
}

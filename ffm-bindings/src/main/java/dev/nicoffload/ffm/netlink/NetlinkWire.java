package dev.nicoffload.ffm.netlink;

/** Wire-format constants shared by the netlink codecs ({@code linux/netlink.h}). */
public final class NetlinkWire {

    /** {@code NLM_F_REQUEST}. */
    public static final int F_REQUEST = 0x1;
    /** {@code NLM_F_MULTI}: part of a multi-part reply. */
    public static final int F_MULTI = 0x2;
    /** {@code NLM_F_ACK}. */
    public static final int F_ACK = 0x4;
    /** {@code NLM_F_ECHO}: the kernel echoes the resulting object back to the requester. */
    public static final int F_ECHO = 0x8;
    /** {@code NLM_F_DUMP} ({@code NLM_F_ROOT | NLM_F_MATCH}). */
    public static final int F_DUMP = 0x300;
    /** {@code NLM_F_REPLACE}. */
    public static final int F_REPLACE = 0x100;
    /** {@code NLM_F_EXCL}. */
    public static final int F_EXCL = 0x200;
    /** {@code NLM_F_CREATE}. */
    public static final int F_CREATE = 0x400;
    /** {@code NLM_F_CAPPED} (on acks): the error carries only the request's header. */
    public static final int F_CAPPED = 0x100;
    /** {@code NLM_F_ACK_TLVS} (on acks): extended-ack attributes follow. */
    public static final int F_ACK_TLVS = 0x200;

    /** {@code NLMSG_NOOP}. */
    public static final int NLMSG_NOOP = 1;
    /** {@code NLMSG_ERROR}. */
    public static final int NLMSG_ERROR = 2;
    /** {@code NLMSG_DONE}. */
    public static final int NLMSG_DONE = 3;
    /** {@code NLMSG_OVERRUN}. */
    public static final int NLMSG_OVERRUN = 4;

    /** {@code NLMSGERR_ATTR_MSG}. */
    public static final int ERR_ATTR_MSG = 1;
    /** {@code NLMSGERR_ATTR_OFFS}. */
    public static final int ERR_ATTR_OFFS = 2;

    /** {@code sizeof(struct nlmsghdr)}. */
    public static final int HEADER_LEN = 16;

    private NetlinkWire() {
    }

    /** {@code NLMSG_ALIGN} / {@code NLA_ALIGN}: rounds up to 4 bytes. */
    public static int align(int n) {
        return (n + 3) & ~3;
    }
}

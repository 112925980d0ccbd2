package dev.nicoffload.ffm.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the reply to one request from the datagrams read off a socket: keeps the messages
 * carrying the request's sequence number, drops stale ones (another request's late replies),
 * and decides when the reply is complete — at {@code NLMSG_ERROR} (an ack or an error), or for a
 * dump at {@code NLMSG_DONE}. The reply is bounded to {@code maxBytes} of payload.
 */
public final class NlReplyCollector {

    private final int seq;
    private final boolean dump;
    private final long maxBytes;
    private final List<NlMessage> data = new ArrayList<>();
    private long bytes;
    private NetlinkAck status;

    /** Collects the reply to request {@code seq}; {@code dump} when it was sent with {@code NLM_F_DUMP}. */
    public NlReplyCollector(int seq, boolean dump, long maxBytes) {
        this.seq = seq;
        this.dump = dump;
        this.maxBytes = maxBytes;
    }

    /**
     * Takes the messages of one datagram.
     *
     * @return true once the reply is complete
     * @throws NetlinkFormatException when a status message is malformed or the reply grows past the bound
     */
    public boolean accept(List<NlMessage> messages) {
        for (NlMessage m : messages) {
            if (status != null) {
                break;
            }
            if (m.seq() != seq || m.type() == NetlinkWire.NLMSG_NOOP) {
                continue;
            }
            if (m.type() == NetlinkWire.NLMSG_OVERRUN) {
                throw new NetlinkFormatException("the kernel reported a receive overrun", m.offset());
            }
            NetlinkAck s = m.status();
            if (s != null) {
                if (m.type() == NetlinkWire.NLMSG_DONE && !dump) {
                    continue;
                }
                status = s;
                break;
            }
            bytes += m.payload().length;
            if (bytes > maxBytes) {
                throw new NetlinkFormatException("reply exceeds the bound of " + maxBytes + " bytes", m.offset());
            }
            data.add(m);
        }
        return status != null;
    }

    /** True once the final status has arrived. */
    public boolean complete() {
        return status != null;
    }

    /**
     * The collected reply.
     *
     * @throws IllegalStateException before the reply is complete
     */
    public NlReply reply() {
        if (status == null) {
            throw new IllegalStateException("reply to request " + seq + " is not complete");
        }
        return new NlReply(status, data);
    }
}

package dev.nicoffload.ffm.netlink;

import java.util.List;

/**
 * Everything the kernel sent back for one request: its final status and the data messages that
 * came before it (dump parts, or the object echoed for {@code NLM_F_ECHO}).
 *
 * @param status   errno and extack of the final {@code NLMSG_ERROR} / {@code NLMSG_DONE}; an extack
 *                 with errno 0 is a warning
 * @param messages the data messages with the request's sequence number, in order
 */
public record NlReply(NetlinkAck status, List<NlMessage> messages) {

    /** Copies the list. */
    public NlReply {
        messages = List.copyOf(messages);
    }

    /** A reply consisting only of a failure status, for errors of the socket calls themselves. */
    public static NlReply failed(int errno) {
        return new NlReply(new NetlinkAck(errno, null), List.of());
    }

    /** True when the request succeeded. */
    public boolean ok() {
        return status.ok();
    }
}

package dev.nicoffload.offload.tc;

import dev.nicoffload.ffm.netlink.NetlinkFormatException;
import dev.nicoffload.ffm.netlink.NetlinkSocket;
import dev.nicoffload.ffm.netlink.NlReply;
import dev.nicoffload.ffm.netlink.NlRequest;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.internal.Errors;

/** Runs one rtnetlink / generic-netlink request and turns a failure into the matching {@code OffloadException}. */
final class TcNetlink {

    /** {@code EPROTO}: used for replies the parser refused. */
    static final int EPROTO = 71;

    private TcNetlink() {
    }

    /** The reply of a request that must succeed; a kernel refusal raises, with errno and extack. */
    static NlReply call(NetlinkSocket socket, NlRequest request, String operation) {
        NlReply reply = exchange(socket, request, operation);
        if (!reply.ok()) {
            throw Errors.attach(operation, reply.status().errno(), reply.status().extack());
        }
        return reply;
    }

    /** The reply, failed or not; only a malformed reply raises. */
    static NlReply exchange(NetlinkSocket socket, NlRequest request, String operation) {
        try {
            return socket.transact(request);
        } catch (NetlinkFormatException e) {
            throw Errors.of(new Failure(operation + " (malformed netlink reply: " + e.getMessage() + ")", EPROTO, null, null),
                    Errors.CAP_NET_ADMIN);
        }
    }

    /** A fresh route socket. */
    static NetlinkSocket route() {
        return NetlinkSocket.open(NetlinkSocket.ROUTE);
    }
}

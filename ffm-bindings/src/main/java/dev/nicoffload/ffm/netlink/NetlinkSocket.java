package dev.nicoffload.ffm.netlink;

import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.libc.SysResult;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.ThreadLocalRandom;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A netlink socket (one protocol, one thread) that sends requests and gathers their replies.
 * Extended acks and capped acks are switched on, so a failure carries the kernel's message and
 * never echoes the request; every receive goes into one fixed buffer of {@link #RECV_BUFFER} bytes
 * and a datagram that does not fit is reported, not truncated silently; a reply is bounded to
 * {@link #MAX_REPLY} bytes and a receive waits at most {@link #RECV_TIMEOUT_SECONDS}.
 * Failures of the socket calls come back as the reply's errno, never as an exception; only a
 * malformed reply raises {@link NetlinkFormatException}.
 */
public final class NetlinkSocket implements AutoCloseable {

    /** {@code NETLINK_ROUTE}. */
    public static final int ROUTE = 0;
    /** {@code NETLINK_GENERIC}. */
    public static final int GENERIC = 16;
    /** Size of the receive buffer. */
    public static final int RECV_BUFFER = 64 * 1024;
    /** Largest reply (sum of data message payloads) accepted for one request. */
    public static final long MAX_REPLY = 16L * 1024 * 1024;
    /** Longest wait for one datagram. */
    public static final int RECV_TIMEOUT_SECONDS = 10;

    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int MSG_TRUNC = 0x20;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EMSGSIZE = 90;
    private static final int ETIMEDOUT = 110;
    private static final MethodHandle SETSOCKOPT = LibC.capturingHandle(
            Linker.nativeLinker().defaultLookup().find("setsockopt").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    private final Arena arena;
    private final int fd;
    private final int openErrno;
    private final MemorySegment recvBuffer;
    private int seq = ThreadLocalRandom.current().nextInt(1, 1 << 30);
    private boolean closed;

    private NetlinkSocket(int protocol) {
        SysResult s = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        this.fd = s.failed() ? -1 : s.intValue();
        this.openErrno = s.failed() ? s.errno() : 0;
        this.arena = Arena.ofConfined();
        this.recvBuffer = arena.allocate(RECV_BUFFER);
        if (fd >= 0) {
            try {
                LibC.setSockOptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1); // best effort on kernels without them
                LibC.setSockOptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
                setTimeout(RECV_TIMEOUT_SECONDS);
            } catch (RuntimeException | Error e) {
                LibC.close(fd);
                arena.close();
                throw e;
            }
        }
    }

    /** Opens a socket for {@code protocol} ({@link #ROUTE}, {@link #GENERIC}); a failure shows in every reply. */
    public static NetlinkSocket open(int protocol) {
        return new NetlinkSocket(protocol);
    }

    /** Sends {@code request} on a fresh socket and returns its reply. */
    public static NlReply transactOnce(int protocol, NlRequest request) {
        try (NetlinkSocket s = open(protocol)) {
            return s.transact(request);
        }
    }

    /**
     * Sends {@code request} (with {@code NLM_F_ACK} added unless it is a dump) and collects its reply.
     *
     * @throws NetlinkFormatException when the kernel's reply is malformed or too large
     */
    public NlReply transact(NlRequest request) {
        if (closed) {
            throw new IllegalStateException("netlink socket closed");
        }
        if (fd < 0) {
            return NlReply.failed(openErrno);
        }
        boolean dump = (request.flags() & NetlinkWire.F_DUMP) == NetlinkWire.F_DUMP;
        int mySeq = ++seq;
        byte[] bytes = request.toBytes(mySeq, dump ? 0 : NetlinkWire.F_ACK);
        MemorySegment out = arena.allocate(bytes.length);
        out.copyFrom(MemorySegment.ofArray(bytes));
        SysResult sent = LibC.send(fd, out);
        if (sent.failed()) {
            return NlReply.failed(sent.errno());
        }
        NlReplyCollector collector = new NlReplyCollector(mySeq, dump, MAX_REPLY);
        byte[] datagram = new byte[RECV_BUFFER];
        while (true) {
            SysResult got = LibC.recv(fd, recvBuffer, MSG_TRUNC);
            if (got.failed()) {
                if (got.errno() == EINTR) {
                    continue;
                }
                return NlReply.failed(got.errno() == EAGAIN ? ETIMEDOUT : got.errno());
            }
            if (got.value() > RECV_BUFFER) {
                return NlReply.failed(EMSGSIZE);
            }
            int n = (int) got.value();
            MemorySegment.copy(recvBuffer, 0, MemorySegment.ofArray(datagram), 0, n);
            if (collector.accept(NlMessage.parseDatagram(datagram, n))) {
                return collector.reply();
            }
        }
    }

    private void setTimeout(int seconds) {
        MemorySegment tv = arena.allocate(16);
        tv.set(JAVA_LONG, 0, seconds);
        tv.set(JAVA_LONG, 8, 0);
        try (Arena call = Arena.ofConfined()) {
            int rc = (int) SETSOCKOPT.invokeExact(LibC.newCaptureState(call), fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            assert rc == 0 || rc == -1; // best effort: without a timeout a receive just blocks
        } catch (Throwable t) {
            throw new IllegalStateException("setsockopt(SO_RCVTIMEO) downcall failed", t);
        }
    }

    /** Closes the socket and frees its buffers; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (fd >= 0) {
                LibC.close(fd);
            }
            arena.close();
        }
    }
}

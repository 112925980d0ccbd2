package dev.nicoffload.ffm.netlink;

import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.libc.SysResult;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Sends one rtnetlink request on a fresh {@code NETLINK_ROUTE} socket with extended acks enabled
 * and waits for its acknowledgement, so the caller gets the kernel's errno and extack text.
 */
public final class RtNetlink {

    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int ETIMEDOUT = 110;
    /** {@code struct timeval}, for SO_RCVTIMEO. */
    public static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec"));
    /** How long to wait for the kernel's acknowledgement before giving up (ETIMEDOUT). */
    private static final long ACK_TIMEOUT_SECONDS = 30;
    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));

    private RtNetlink() {
    }

    /** Next request sequence number. */
    public static int nextSeq() {
        return SEQ.incrementAndGet();
    }

    /**
     * Attaches ({@code progFd >= 0}) or detaches ({@code progFd == -1}) an XDP program with IFLA_XDP.
     *
     * @param expectedFd program expected to be attached now (with XDP_FLAGS_REPLACE), or -1
     */
    public static NetlinkAck setXdp(int ifindex, int progFd, int flags, int expectedFd) {
        int seq = nextSeq();
        return request(NetlinkCodec.setXdp(seq, ifindex, progFd, flags, expectedFd), seq);
    }

    /** Sends {@code message} (which must ask for NLM_F_ACK with sequence {@code seq}) and returns the ack. */
    public static NetlinkAck request(byte[] message, int seq) {
        SysResult s = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (s.failed()) {
            return new NetlinkAck(s.errno(), null);
        }
        int fd = s.intValue();
        try (Arena arena = Arena.ofConfined()) {
            LibC.setSockOptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1); // best effort: older kernels lack it
            MemorySegment timeout = arena.allocate(TIMEVAL);
            timeout.set(JAVA_LONG, TIMEVAL.byteOffset(MemoryLayout.PathElement.groupElement("tv_sec")), ACK_TIMEOUT_SECONDS);
            LibC.setSockOpt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout);
            MemorySegment out = arena.allocate(message.length);
            out.copyFrom(MemorySegment.ofArray(message));
            SysResult sent = LibC.send(fd, out);
            if (sent.failed()) {
                return new NetlinkAck(sent.errno(), null);
            }
            MemorySegment in = arena.allocate(65536);
            while (true) {
                SysResult got = LibC.recv(fd, in, 0);
                if (got.failed()) {
                    if (got.errno() == 4 /* EINTR */) {
                        continue;
                    }
                    if (got.errno() == EAGAIN) {
                        return new NetlinkAck(ETIMEDOUT, "no netlink acknowledgement within " + ACK_TIMEOUT_SECONDS + " s");
                    }
                    return new NetlinkAck(got.errno(), null);
                }
                ByteBuffer reply = in.asSlice(0, got.value()).asByteBuffer();
                NetlinkAck ack = NetlinkCodec.findAck(reply, seq);
                if (ack != null) {
                    return ack;
                }
            }
        } finally {
            LibC.close(fd);
        }
    }
}

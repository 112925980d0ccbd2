package dev.nicoffload.offload.xdp;

import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.netlink.NetlinkAck;
import dev.nicoffload.ffm.netlink.NetlinkCodec;
import dev.nicoffload.ffm.netlink.RtNetlink;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.event.AttachEvent;
import dev.nicoffload.offload.event.DetachEvent;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.internal.Errors;
import dev.nicoffload.offload.internal.Fds;
import dev.nicoffload.offload.load.Program;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static dev.nicoffload.ffm.bpf.BpfLayouts.XDP_QUERY_OPTS;
import static dev.nicoffload.ffm.bpf.BpfLayouts.getInt;
import static dev.nicoffload.ffm.bpf.BpfLayouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * XDP attach, detach and query. Attach and detach go over rtnetlink ({@code RTM_SETLINK} with
 * {@code IFLA_XDP}) so that a refusal carries the kernel's extack text; the query uses libbpf's
 * {@code bpf_xdp_query}.
 */
public final class Xdp {

    private static final int UPDATE_IF_NOEXIST = NetlinkCodec.XDP_FLAGS_UPDATE_IF_NOEXIST;
    private static final int REPLACE = NetlinkCodec.XDP_FLAGS_REPLACE;

    private static final System.Logger LOG = System.getLogger("dev.nicoffload.offload.xdp");

    private Xdp() {
    }

    /** Attaches {@code program}; see {@link Program#attachXdp}. */
    public static XdpAttachment attach(Program program, OffloadDevice device, XdpMode mode, XdpPolicy policy,
                                       Program expected) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(policy, "policy");
        if (program.type() != ProgramType.XDP) {
            throw new IllegalArgumentException("program '" + program.name() + "' has type " + program.type()
                    + ": only XDP programs attach with XDP");
        }
        if (expected != null && expected.type() != ProgramType.XDP) {
            throw new IllegalArgumentException("expected program '" + expected.name() + "' is not an XDP program");
        }
        int flags = mode.flag();
        if (expected != null) {
            flags |= REPLACE;
        } else if (policy == XdpPolicy.IF_NOT_EXIST) {
            flags |= UPDATE_IF_NOEXIST;
        }
        int id = program.info().id();
        int xdpFlags = flags;
        AttachEvent event = new AttachEvent();
        event.program = program.name();
        event.programId = id;
        event.device = device.name();
        event.hook = "xdp";
        event.mode = mode.name();
        String op = "attach XDP program '" + program.name() + "' to " + device.name() + " in " + mode + " mode";
        return event.run(LOG, op, () -> {
            NetlinkAck ack = setXdpHolding(device, program, xdpFlags, expected);
            if (!ack.ok()) {
                throw Errors.attach(op, ack.errno(), ack.extack());
            }
            return new XdpAttachment(program, id, device, mode);
        });
    }

    /** The IFLA_XDP request with both program fds held open (and theirs) for its duration. */
    private static NetlinkAck setXdpHolding(OffloadDevice device, Program program, int flags, Program expected) {
        int fd = program.acquireFd();
        try {
            if (expected == null) {
                return RtNetlink.setXdp(device.ifindex(), fd, flags, -1);
            }
            int expectedFd = expected.acquireFd();
            try {
                return RtNetlink.setXdp(device.ifindex(), fd, flags, expectedFd);
            } finally {
                expected.releaseFd();
            }
        } finally {
            program.releaseFd();
        }
    }

    private static DetachEvent detachEvent(OffloadDevice device, XdpMode mode, Program program, int programId) {
        DetachEvent event = new DetachEvent();
        event.device = device.name();
        event.hook = "xdp";
        event.mode = mode.name();
        event.program = program == null ? "" : program.name();
        event.programId = programId;
        return event;
    }

    /**
     * Detaches whatever program is attached to {@code device} in {@code mode} (a no-op when none is).
     *
     * @throws dev.nicoffload.offload.error.AttachRejectedException when the driver refuses
     */
    public static void detach(OffloadDevice device, XdpMode mode) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mode, "mode");
        String op = "detach XDP from " + device.name() + " in " + mode + " mode";
        detachEvent(device, mode, null, 0).run(LOG, op, () -> {
            NetlinkAck ack = RtNetlink.setXdp(device.ifindex(), -1, mode.flag(), -1);
            if (!ack.ok()) {
                throw Errors.attach(op, ack.errno(), ack.extack());
            }
        });
    }

    static void detachIfAttached(OffloadDevice device, XdpMode mode, int programId, Program program) {
        detachEvent(device, mode, program, programId).run(LOG, "detach XDP program id " + programId + " from "
                + device.name() + " in " + mode + " mode", () -> detachIfStillAttached(device, mode, programId, program));
    }

    /**
     * Detaches {@code programId} from {@code device} in {@code mode} only if it is still the program
     * attached there, in one request: {@code XDP_FLAGS_REPLACE} with the program as the expected fd
     * makes the kernel compare and detach under its own lock (EEXIST when another program is
     * attached now, which is then left alone). The fd is the program handle's while it is open, or a
     * fresh one opened by id; a program id that no longer exists is attached nowhere.
     */
    private static void detachIfStillAttached(OffloadDevice device, XdpMode mode, int programId, Program program) {
        String op = "detach XDP program id " + programId + " from " + device.name() + " in " + mode + " mode";
        int flags = mode.flag() | REPLACE;
        NetlinkAck ack;
        int fd = -1;
        try {
            fd = program.acquireFd();
        } catch (IllegalStateException closed) {
            // the program handle is closed: the attached program is still reachable by its id
        }
        if (fd >= 0) {
            try {
                ack = RtNetlink.setXdp(device.ifindex(), -1, flags, fd);
            } finally {
                program.releaseFd();
            }
        } else {
            LibBpf.ensureLoaded();
            int byId = LibBpf.progGetFdById(programId);
            if (byId == -Errno.ENOENT) {
                return; // the program is gone, so it is attached nowhere
            }
            if (byId < 0) {
                throw Errors.attach(op + " (open the program by id to name it as the expected one)", -byId, null);
            }
            try {
                ack = RtNetlink.setXdp(device.ifindex(), -1, flags, byId);
            } finally {
                Fds.closeQuietly(byId);
            }
        }
        if (ack.errno() == Errno.EEXIST) {
            return; // another program (or none) is attached now: not ours to detach
        }
        if (!ack.ok() && ack.errno() != Errno.ENODEV) {
            throw Errors.attach(op, ack.errno(), ack.extack());
        }
    }

    /** The programs attached to {@code device}, per mode. */
    public static XdpState query(OffloadDevice device) {
        Objects.requireNonNull(device, "device");
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(XDP_QUERY_OPTS);
            opts.set(JAVA_LONG, 0, XDP_QUERY_OPTS.byteSize());
            int rc = LibBpf.xdpQuery(device.ifindex(), 0, opts);
            if (rc < 0) {
                throw Errors.of("query XDP programs of " + device.name(), -rc);
            }
            return new XdpState(Byte.toUnsignedInt(opts.get(JAVA_BYTE, offset(XDP_QUERY_OPTS, "attach_mode"))),
                    getInt(opts, XDP_QUERY_OPTS, "prog_id"), getInt(opts, XDP_QUERY_OPTS, "skb_prog_id"),
                    getInt(opts, XDP_QUERY_OPTS, "drv_prog_id"), getInt(opts, XDP_QUERY_OPTS, "hw_prog_id"));
        }
    }

}

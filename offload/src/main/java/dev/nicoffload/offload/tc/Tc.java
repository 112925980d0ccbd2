package dev.nicoffload.offload.tc;

import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.netlink.NetlinkSocket;
import dev.nicoffload.ffm.netlink.NlReply;
import dev.nicoffload.ffm.netlink.TcCodec;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.event.AttachEvent;
import dev.nicoffload.offload.event.DetachEvent;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.internal.Errors;
import dev.nicoffload.offload.internal.Fds;
import dev.nicoffload.offload.load.Program;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * cls_bpf filters on a device's clsact qdisc, over rtnetlink. Every refusal raises an
 * {@link dev.nicoffload.offload.error.OffloadException} with the errno and the kernel's extack text
 * (e.g. {@code TC offload is disabled on net device}); a filter added without {@code skip_sw}
 * that the driver does not take stays in software without error (the kernel passes driver
 * messages only for {@code skip_sw} filters, and any warning it attaches to a success is returned
 * in {@link TcFilter#kernelWarning()}, never raised).
 *
 * <pre>{@code
 * try (TcAttachment tc = program.attachTc(device, TcOptions.offloaded())) {
 *     TcFilter f = tc.filter();        // in_hw, program id, tag
 * }                                    // closing deletes the filter
 * }</pre>
 */
public final class Tc {

    private static final System.Logger LOG = System.getLogger("dev.nicoffload.offload.tc");

    private Tc() {
    }

    /**
     * Creates the clsact qdisc on {@code device} unless it (or an ingress qdisc) is there.
     *
     * @return true when this call created it
     */
    public static boolean ensureClsact(OffloadDevice device) {
        Objects.requireNonNull(device, "device");
        String op = "add clsact qdisc to " + device.name();
        try (NetlinkSocket s = TcNetlink.route()) {
            NlReply r = TcNetlink.exchange(s, TcCodec.addClsact(device.ifindex(), true), op);
            if (r.status().errno() == Errno.EEXIST) {
                return false;
            }
            if (!r.ok()) {
                throw Errors.attach(op, r.status().errno(), r.status().extack());
            }
            return true;
        }
    }

    /** The kind of the qdisc at {@code ffff:} ({@code clsact} or {@code ingress}) on {@code device}, if any. */
    public static Optional<String> clsactKind(OffloadDevice device) {
        Objects.requireNonNull(device, "device");
        try (NetlinkSocket s = TcNetlink.route()) {
            NlReply r = TcNetlink.call(s, TcCodec.dumpQdiscs(), "list qdiscs");
            return TcCodec.parseQdiscs(r.messages()).stream()
                    .filter(q -> q.ifindex() == device.ifindex() && q.parent() == TcCodec.TC_H_CLSACT)
                    .map(TcCodec.Qdisc::kind).findFirst();
        }
    }

    /**
     * Deletes the clsact (or ingress) qdisc of {@code device} and with it every filter on it.
     *
     * @return false when there was none
     */
    public static boolean removeClsact(OffloadDevice device) {
        if (clsactKind(device).isEmpty()) {
            return false;
        }
        try (NetlinkSocket s = TcNetlink.route()) {
            TcNetlink.call(s, TcCodec.deleteClsact(device.ifindex()), "delete clsact qdisc of " + device.name());
            return true;
        }
    }

    /**
     * Adds a cls_bpf filter running {@code program} (a SCHED_CLS program; for {@code skip_sw} one
     * loaded bound to {@code device}). Fails with EEXIST when a filter is at that place already.
     *
     * @throws IllegalArgumentException when the program is not a SCHED_CLS program
     */
    public static TcFilter addFilter(OffloadDevice device, Program program, TcOptions options) {
        return newEbpfFilter(false, device, program, options, "add TC filter '" + program.name() + "'");
    }

    /** Adds or replaces the filter at the place {@code options} names; the kernel refuses different skip flags with EINVAL. */
    public static TcFilter replaceFilter(OffloadDevice device, Program program, TcOptions options) {
        return newEbpfFilter(true, device, program, options, "replace TC filter '" + program.name() + "'");
    }

    /** Adds or replaces an eBPF filter with the program's fd held open (and the program's) for the request. */
    private static TcFilter newEbpfFilter(boolean replace, OffloadDevice device, Program program, TcOptions options,
                                          String what) {
        checkType(program, options);
        int fd = program.acquireFd();
        try {
            return newFilter(replace, device, new TcCodec.BpfSource(fd, options.name().orElse(program.name()), null),
                    options, what);
        } finally {
            program.releaseFd();
        }
    }

    /** Adds a classic BPF filter (never device-bound: offloaded only where the driver takes unbound programs). */
    public static TcFilter addClassicFilter(OffloadDevice device, ClassicBpf program, TcOptions options) {
        Objects.requireNonNull(program, "program");
        return newFilter(false, device, new TcCodec.BpfSource(-1, null, program.toBytes()), options, "add classic TC filter");
    }

    /** Adds or replaces a classic BPF filter. */
    public static TcFilter replaceClassicFilter(OffloadDevice device, ClassicBpf program, TcOptions options) {
        Objects.requireNonNull(program, "program");
        return newFilter(true, device, new TcCodec.BpfSource(-1, null, program.toBytes()), options, "replace classic TC filter");
    }

    /**
     * Deletes the filter at the place {@code options} names (its flags are ignored).
     *
     * @return the warning the kernel attached to the successful deletion, if any (none is expected)
     */
    public static Optional<String> deleteFilter(OffloadDevice device, TcOptions options) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(options, "options");
        DetachEvent event = new DetachEvent();
        event.device = device.name();
        event.hook = "tc";
        event.mode = options.toString();
        return event.run(LOG, "delete TC filter " + options + " on " + device.name(), () -> deleteFilterAt(device, options));
    }

    private static Optional<String> deleteFilterAt(OffloadDevice device, TcOptions options) {
        try (NetlinkSocket s = TcNetlink.route()) {
            return Optional.ofNullable(delete(s, device, options).status().extack());
        }
    }

    private static NlReply delete(NetlinkSocket s, OffloadDevice device, TcOptions options) {
        return TcNetlink.call(s, TcCodec.deleteFilter(device.ifindex(), parent(options.direction()), options.handle(),
                options.priority(), options.protocol(), options.chain()), "delete TC filter " + options + " on " + device.name());
    }

    /**
     * Deletes the filter at {@code options}' place only if it runs {@code programId}, for
     * {@link TcAttachment#close()}. cls_bpf (Linux 6.1) deletes by place and has no compare, so
     * this takes one dump and one delete on one socket; the kernel echoes the filter it deleted,
     * and should a program that replaced ours in between have been deleted instead, it is put back
     * at once in its place with its flags (and a warning is logged).
     *
     * @return true when a filter of {@code programId} was deleted, false when none was at the place
     * @throws dev.nicoffload.offload.error.OffloadException when the kernel refuses, or a replacement deleted by the race
     *                                                       could not be put back (the message says so)
     */
    static boolean deleteIfRunning(OffloadDevice device, TcOptions options, int programId) {
        DetachEvent event = new DetachEvent();
        event.device = device.name();
        event.hook = "tc";
        event.mode = options.toString();
        event.programId = programId;
        String op = "delete TC filter " + options + " (program id " + programId + ") on " + device.name();
        return event.run(LOG, op, () -> {
            try (NetlinkSocket s = TcNetlink.route()) {
                NlReply dump = TcNetlink.call(s, TcCodec.dumpFilters(device.ifindex(), parent(options.direction())),
                        "list TC filters of " + device.name());
                Optional<TcCodec.Filter> now = TcCodec.parseFilters(dump.messages()).stream()
                        .filter(f -> toFilter(f, null).isAt(options)).findFirst();
                if (now.isEmpty() || now.get().progId() != programId) {
                    return false; // not ours (any more): left alone
                }
                NlReply r = TcNetlink.exchange(s, TcCodec.deleteFilter(device.ifindex(), parent(options.direction()),
                        options.handle(), options.priority(), options.protocol(), options.chain()), op);
                if (r.status().errno() == Errno.ENOENT) {
                    return false; // deleted by someone else meanwhile
                }
                if (!r.ok()) {
                    throw Errors.attach(op, r.status().errno(), r.status().extack());
                }
                List<TcCodec.Filter> deleted = TcCodec.parseFilters(r.messages());
                if (!deleted.isEmpty() && deleted.get(0).progId() != programId) {
                    putBack(s, device, options, deleted.get(0), op);
                    return false;
                }
                return true;
            }
        });
    }

    /** Re-adds {@code f}, a filter of another program deleted by a lost race, at the place it had. */
    private static void putBack(NetlinkSocket s, OffloadDevice device, TcOptions options, TcCodec.Filter f, String op) {
        String again = op + ": program id " + f.progId() + " replaced ours between the check and the delete and was"
                + " deleted; putting it back";
        LOG.log(System.Logger.Level.WARNING, again);
        LibBpf.ensureLoaded();
        int fd = LibBpf.progGetFdById(f.progId());
        if (fd < 0) {
            throw Errors.attach(again + " failed (open the program by id)", -fd, null);
        }
        try {
            int gen = f.genFlags() & (TcCodec.CLS_FLAGS_SKIP_SW | TcCodec.CLS_FLAGS_SKIP_HW);
            NlReply r = TcNetlink.exchange(s, TcCodec.newFilter(false, device.ifindex(), f.parent(), f.handle(), f.priority(),
                    f.protocol(), f.chain(), new TcCodec.BpfSource(fd, f.name(), null),
                    (f.bpfFlags() & TcCodec.BPF_FLAG_ACT_DIRECT) != 0, gen), again);
            if (!r.ok()) {
                throw Errors.attach(again + " failed", r.status().errno(), r.status().extack());
            }
        } finally {
            Fds.closeQuietly(fd);
        }
    }

    /** Every cls_bpf filter on {@code direction} of {@code device}, all chains; empty when there is no clsact qdisc. */
    public static List<TcFilter> filters(OffloadDevice device, TcDirection direction) {
        return rawFilters(device, direction).stream().map(f -> toFilter(f, null)).toList();
    }

    private static List<TcCodec.Filter> rawFilters(OffloadDevice device, TcDirection direction) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(direction, "direction");
        try (NetlinkSocket s = TcNetlink.route()) {
            // the kernel answers a dump on a device without clsact qdisc with an empty list
            NlReply r = TcNetlink.call(s, TcCodec.dumpFilters(device.ifindex(), parent(direction)), "list TC filters of " + device.name());
            return TcCodec.parseFilters(r.messages());
        }
    }

    /** The filter at the place {@code options} names, if there is one. */
    public static Optional<TcFilter> filter(OffloadDevice device, TcOptions options) {
        return filters(device, options.direction()).stream().filter(f -> f.isAt(options)).findFirst();
    }

    /**
     * One call from a loaded SCHED_CLS program to a running filter: ensures the clsact qdisc, adds
     * the filter, and returns a handle whose {@link TcAttachment#close()} deletes it again. With
     * {@link TcOptions#offloaded()} the program must have been loaded bound to {@code device}.
     */
    public static TcAttachment attach(Program program, OffloadDevice device, TcOptions options) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(options, "options");
        checkType(program, options); // before touching the device
        ensureClsact(device);
        TcFilter f = addFilter(device, program, options);
        return new TcAttachment(program, device, options, f);
    }

    private static void checkType(Program program, TcOptions options) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(options, "options");
        if (program.type() != null && program.type() != ProgramType.SCHED_CLS) {
            throw new IllegalArgumentException("cls_bpf runs SCHED_CLS programs; '" + program.name() + "' is " + program.type());
        }
    }

    private static TcFilter newFilter(boolean replace, OffloadDevice device, TcCodec.BpfSource source, TcOptions options,
                                      String what) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(options, "options");
        AttachEvent event = new AttachEvent();
        event.device = device.name();
        event.hook = "tc";
        event.mode = options.toString();
        event.program = source.name() != null ? source.name() : "classic";
        return event.run(LOG, what + " " + options + " on " + device.name(), () -> {
            TcFilter f = createFilter(replace, device, source, options, what);
            event.programId = f.programId();
            return f;
        });
    }

    private static TcFilter createFilter(boolean replace, OffloadDevice device, TcCodec.BpfSource source, TcOptions options,
                                         String what) {
        int gen = (options.skipSw() ? TcCodec.CLS_FLAGS_SKIP_SW : 0) | (options.skipHw() ? TcCodec.CLS_FLAGS_SKIP_HW : 0);
        String op = what + " " + options + " on " + device.name();
        NlReply r;
        try (NetlinkSocket s = TcNetlink.route()) {
            r = TcNetlink.call(s, TcCodec.newFilter(replace, device.ifindex(), parent(options.direction()),
                    options.handle(), options.priority(), options.protocol(), options.chain(), source,
                    options.directAction(), gen), op);
        }
        // the kernel echoes the new filter (NLM_F_ECHO); should it not, the filter is looked up
        List<TcCodec.Filter> echoed = TcCodec.parseFilters(r.messages());
        TcCodec.Filter f = (echoed.isEmpty() ? rawFilters(device, options.direction()) : echoed).stream()
                .filter(e -> toFilter(e, null).isAt(options)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the kernel accepted '" + op + "' but does not list the filter"));
        return toFilter(f, r.status().extack());
    }

    static int parent(TcDirection direction) {
        return direction == TcDirection.INGRESS ? TcCodec.PARENT_INGRESS : TcCodec.PARENT_EGRESS;
    }

    private static TcFilter toFilter(TcCodec.Filter f, String warning) {
        int gen = f.genFlags();
        return new TcFilter(f.ifindex(), f.parent() == TcCodec.PARENT_EGRESS ? TcDirection.EGRESS : TcDirection.INGRESS,
                f.chain(), f.priority(), f.handle(), f.protocol(), f.progId(), HexFormat.of().formatHex(f.tag()),
                Optional.ofNullable(f.name()), (f.bpfFlags() & TcCodec.BPF_FLAG_ACT_DIRECT) != 0,
                (gen & TcCodec.CLS_FLAGS_SKIP_SW) != 0, (gen & TcCodec.CLS_FLAGS_SKIP_HW) != 0,
                (gen & TcCodec.CLS_FLAGS_IN_HW) != 0, OptionalInt.empty(), Optional.ofNullable(warning));
    }
}

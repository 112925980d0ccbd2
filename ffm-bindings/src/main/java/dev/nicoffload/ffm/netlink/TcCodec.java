package dev.nicoffload.ffm.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * rtnetlink traffic-control messages for the clsact qdisc and cls_bpf filters
 * ({@code linux/rtnetlink.h}, {@code linux/pkt_sched.h}, {@code linux/pkt_cls.h}): request
 * builders and a parser for the filter messages the kernel sends back. Pure Java.
 */
public final class TcCodec {

    /** {@code RTM_NEWQDISC}. */
    public static final int RTM_NEWQDISC = 36;
    /** {@code RTM_DELQDISC}. */
    public static final int RTM_DELQDISC = 37;
    /** {@code RTM_GETQDISC}. */
    public static final int RTM_GETQDISC = 38;
    /** {@code RTM_NEWTFILTER}. */
    public static final int RTM_NEWTFILTER = 44;
    /** {@code RTM_DELTFILTER}. */
    public static final int RTM_DELTFILTER = 45;
    /** {@code RTM_GETTFILTER}. */
    public static final int RTM_GETTFILTER = 46;

    /** {@code sizeof(struct tcmsg)}. */
    public static final int TCMSG_LEN = 20;
    /** {@code TC_H_CLSACT} (= {@code TC_H_INGRESS}): parent of the clsact / ingress qdisc. */
    public static final int TC_H_CLSACT = 0xFFFFFFF1;
    /** The clsact qdisc's handle, {@code ffff:}. */
    public static final int CLSACT_HANDLE = 0xFFFF0000;
    /** {@code TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)}: the ingress hook. */
    public static final int PARENT_INGRESS = 0xFFFFFFF2;
    /** {@code TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)}: the egress hook. */
    public static final int PARENT_EGRESS = 0xFFFFFFF3;

    /** {@code TCA_KIND}. */
    public static final int TCA_KIND = 1;
    /** {@code TCA_OPTIONS}. */
    public static final int TCA_OPTIONS = 2;
    /** {@code TCA_CHAIN}. */
    public static final int TCA_CHAIN = 11;
    /** {@code TCA_HW_OFFLOAD} (qdiscs). */
    public static final int TCA_HW_OFFLOAD = 12;

    /** {@code TCA_BPF_CLASSID}. */
    public static final int TCA_BPF_CLASSID = 3;
    /** {@code TCA_BPF_OPS_LEN}. */
    public static final int TCA_BPF_OPS_LEN = 4;
    /** {@code TCA_BPF_OPS}. */
    public static final int TCA_BPF_OPS = 5;
    /** {@code TCA_BPF_FD}. */
    public static final int TCA_BPF_FD = 6;
    /** {@code TCA_BPF_NAME}. */
    public static final int TCA_BPF_NAME = 7;
    /** {@code TCA_BPF_FLAGS}. */
    public static final int TCA_BPF_FLAGS = 8;
    /** {@code TCA_BPF_FLAGS_GEN}. */
    public static final int TCA_BPF_FLAGS_GEN = 9;
    /** {@code TCA_BPF_TAG}. */
    public static final int TCA_BPF_TAG = 10;
    /** {@code TCA_BPF_ID}. */
    public static final int TCA_BPF_ID = 11;

    /** {@code TCA_BPF_FLAG_ACT_DIRECT}. */
    public static final int BPF_FLAG_ACT_DIRECT = 1;
    /** {@code TCA_CLS_FLAGS_SKIP_HW}. */
    public static final int CLS_FLAGS_SKIP_HW = 1;
    /** {@code TCA_CLS_FLAGS_SKIP_SW}. */
    public static final int CLS_FLAGS_SKIP_SW = 2;
    /** {@code TCA_CLS_FLAGS_IN_HW}. */
    public static final int CLS_FLAGS_IN_HW = 4;
    /** {@code TCA_CLS_FLAGS_NOT_IN_HW}. */
    public static final int CLS_FLAGS_NOT_IN_HW = 8;
    /** {@code TCA_CLS_FLAGS_VERBOSE}. */
    public static final int CLS_FLAGS_VERBOSE = 16;

    private TcCodec() {
    }

    /** {@code struct tcmsg} bytes. */
    public static byte[] tcmsg(int ifindex, int handle, int parent, int info) {
        return ByteBuffer.allocate(TCMSG_LEN).order(ByteOrder.nativeOrder())
                .put((byte) 0).put((byte) 0).putShort((short) 0)
                .putInt(ifindex).putInt(handle).putInt(parent).putInt(info).array();
    }

    /** {@code tcm_info} of a filter: priority in the upper 16 bits, the protocol in network order below. */
    public static int filterInfo(int priority, int protocol) {
        return (priority << 16) | Short.toUnsignedInt(Short.reverseBytes((short) protocol));
    }

    /** Creates the clsact qdisc; with {@code exclusive} an existing one gives EEXIST. */
    public static NlRequest addClsact(int ifindex, boolean exclusive) {
        return new NlRequest(RTM_NEWQDISC, NetlinkWire.F_CREATE | (exclusive ? NetlinkWire.F_EXCL : 0))
                .header(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0))
                .string(TCA_KIND, "clsact");
    }

    /** Deletes the clsact (or ingress) qdisc and, with it, every filter attached to it. */
    public static NlRequest deleteClsact(int ifindex) {
        return new NlRequest(RTM_DELQDISC, 0).header(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0));
    }

    /** Dumps every qdisc of every device (the kernel ignores the ifindex of a qdisc dump in 6.1). */
    public static NlRequest dumpQdiscs() {
        return new NlRequest(RTM_GETQDISC, NetlinkWire.F_DUMP).header(tcmsg(0, 0, 0, 0));
    }

    /**
     * The program a cls_bpf filter runs: an eBPF program fd, or classic BPF instructions.
     *
     * @param fd        eBPF program fd, or -1 for classic BPF
     * @param name      the program name recorded in the filter (eBPF only; may be null)
     * @param classicOps classic BPF {@code struct sock_filter} array (8 bytes per instruction), or null
     */
    public record BpfSource(int fd, String name, byte[] classicOps) {
    }

    /**
     * A cls_bpf filter as the kernel reports it, or as it is requested.
     *
     * @param ifindex  device
     * @param parent   {@link #PARENT_INGRESS} or {@link #PARENT_EGRESS}
     * @param handle   filter handle
     * @param priority filter priority
     * @param protocol ethertype in host order ({@code ETH_P_ALL} = 3)
     * @param chain    chain index
     * @param kind     classifier kind ({@code bpf})
     * @param progId   program id ({@code TCA_BPF_ID}), 0 when not reported (classic BPF)
     * @param tag      program tag ({@code TCA_BPF_TAG}), empty when not reported
     * @param name     program name ({@code TCA_BPF_NAME}), null when not reported
     * @param bpfFlags {@code TCA_BPF_FLAGS}
     * @param genFlags {@code TCA_BPF_FLAGS_GEN} (skip_sw, skip_hw, in_hw, not_in_hw)
     */
    public record Filter(int ifindex, int parent, int handle, int priority, int protocol, int chain, String kind,
                         int progId, byte[] tag, String name, int bpfFlags, int genFlags) {
    }

    /**
     * A cls_bpf add ({@code NLM_F_EXCL}) or replace request; the kernel is asked to echo the result.
     *
     * @param genFlags skip_sw / skip_hw ({@code TCA_BPF_FLAGS_GEN})
     */
    public static NlRequest newFilter(boolean replace, int ifindex, int parent, int handle, int priority, int protocol,
                                      int chain, BpfSource source, boolean directAction, int genFlags) {
        int flags = NetlinkWire.F_CREATE | NetlinkWire.F_ECHO | (replace ? NetlinkWire.F_REPLACE : NetlinkWire.F_EXCL);
        NlRequest r = new NlRequest(RTM_NEWTFILTER, flags)
                .header(tcmsg(ifindex, handle, parent, filterInfo(priority, protocol)))
                .string(TCA_KIND, "bpf")
                .u32(TCA_CHAIN, chain)
                .begin(TCA_OPTIONS);
        if (source.classicOps() != null) {
            if (source.classicOps().length == 0 || source.classicOps().length % 8 != 0 || source.classicOps().length / 8 > 0xffff) {
                throw new IllegalArgumentException("classic BPF must be 1..65535 instructions of 8 bytes");
            }
            r.u16(TCA_BPF_OPS_LEN, source.classicOps().length / 8).attr(TCA_BPF_OPS, source.classicOps());
        } else {
            r.u32(TCA_BPF_FD, source.fd());
            if (source.name() != null) {
                r.string(TCA_BPF_NAME, source.name());
            }
        }
        if (directAction) {
            r.u32(TCA_BPF_FLAGS, BPF_FLAG_ACT_DIRECT);
        }
        if (genFlags != 0) {
            r.u32(TCA_BPF_FLAGS_GEN, genFlags);
        }
        return r.end();
    }

    /**
     * Deletes one filter, identified by handle, priority, protocol and chain; the kernel is asked to
     * echo the filter it deleted ({@code RTM_DELTFILTER} with its options, so the program id it ran).
     */
    public static NlRequest deleteFilter(int ifindex, int parent, int handle, int priority, int protocol, int chain) {
        return new NlRequest(RTM_DELTFILTER, NetlinkWire.F_ECHO)
                .header(tcmsg(ifindex, handle, parent, filterInfo(priority, protocol)))
                .string(TCA_KIND, "bpf")
                .u32(TCA_CHAIN, chain);
    }

    /** Dumps the filters of every chain under {@code parent} of a device. */
    public static NlRequest dumpFilters(int ifindex, int parent) {
        return new NlRequest(RTM_GETTFILTER, NetlinkWire.F_DUMP).header(tcmsg(ifindex, 0, parent, 0));
    }

    /**
     * The cls_bpf filters among {@code messages} ({@code RTM_NEWTFILTER}, or the {@code RTM_DELTFILTER}
     * echo of a deletion, with kind {@code bpf} and options; the per-priority header entries without
     * a handle are skipped).
     *
     * @throws NetlinkFormatException when a message is malformed
     */
    public static List<Filter> parseFilters(List<NlMessage> messages) {
        List<Filter> out = new ArrayList<>();
        for (NlMessage m : messages) {
            if (m.type() != RTM_NEWTFILTER && m.type() != RTM_DELTFILTER) {
                continue;
            }
            NlAttrs attrs = m.attrs(TCMSG_LEN);
            ByteBuffer h = m.buffer();
            int ifindex = h.getInt(4);
            int handle = h.getInt(8);
            int parent = h.getInt(12);
            int info = h.getInt(16);
            String kind = attrs.first(TCA_KIND).map(NlAttr::string).orElse("");
            var options = attrs.first(TCA_OPTIONS);
            if (!kind.equals("bpf") || handle == 0 || options.isEmpty()) {
                continue;
            }
            int chain = attrs.first(TCA_CHAIN).map(NlAttr::u32).orElse(0);
            NlAttrs o = options.get().attrs();
            out.add(new Filter(ifindex, parent, handle, info >>> 16,
                    Short.toUnsignedInt(Short.reverseBytes((short) info)), chain, kind,
                    o.first(TCA_BPF_ID).map(NlAttr::u32).orElse(0),
                    o.first(TCA_BPF_TAG).map(NlAttr::payload).orElse(new byte[0]),
                    o.first(TCA_BPF_NAME).map(NlAttr::string).orElse(null),
                    o.first(TCA_BPF_FLAGS).map(NlAttr::u32).orElse(0),
                    o.first(TCA_BPF_FLAGS_GEN).map(NlAttr::u32).orElse(0)));
        }
        return out;
    }

    /**
     * A qdisc as a dump reports it.
     *
     * @param ifindex device
     * @param handle  qdisc handle
     * @param parent  parent handle
     * @param kind    qdisc kind ({@code clsact}, {@code ingress}, {@code noqueue}, ...)
     */
    public record Qdisc(int ifindex, int handle, int parent, String kind) {
    }

    /** The qdiscs among {@code messages} ({@code RTM_NEWQDISC}). */
    public static List<Qdisc> parseQdiscs(List<NlMessage> messages) {
        List<Qdisc> out = new ArrayList<>();
        for (NlMessage m : messages) {
            if (m.type() != RTM_NEWQDISC) {
                continue;
            }
            NlAttrs attrs = m.attrs(TCMSG_LEN);
            ByteBuffer h = m.buffer();
            out.add(new Qdisc(h.getInt(4), h.getInt(8), h.getInt(12), attrs.first(TCA_KIND).map(NlAttr::string).orElse("")));
        }
        return out;
    }
}

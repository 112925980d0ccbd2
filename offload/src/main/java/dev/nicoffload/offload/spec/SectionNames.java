package dev.nicoffload.offload.spec;

import dev.nicoffload.offload.info.ProgramType;
import java.util.List;

/** Program type and flags from an ELF section name, following libbpf's section table. */
final class SectionNames {

    /** A section-name rule: matches {@code name} exactly or {@code name/...}. */
    private record Rule(String name, ProgramType type, int flags) {
        boolean matches(String section) {
            return section.equals(name) || section.startsWith(name + "/");
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("xdp.frags", ProgramType.XDP, ProgramSpec.F_XDP_HAS_FRAGS),
            new Rule("xdp", ProgramType.XDP, 0),
            new Rule("tc", ProgramType.SCHED_CLS, 0),
            new Rule("classifier", ProgramType.SCHED_CLS, 0),
            new Rule("action", ProgramType.SCHED_ACT, 0),
            new Rule("socket", ProgramType.SOCKET_FILTER, 0),
            new Rule("sk_reuseport", ProgramType.SK_REUSEPORT, 0),
            new Rule("kprobe", ProgramType.KPROBE, 0),
            new Rule("kretprobe", ProgramType.KPROBE, 0),
            new Rule("uprobe", ProgramType.KPROBE, 0),
            new Rule("uretprobe", ProgramType.KPROBE, 0),
            new Rule("uprobe.s", ProgramType.KPROBE, ProgramSpec.F_SLEEPABLE),
            new Rule("uretprobe.s", ProgramType.KPROBE, ProgramSpec.F_SLEEPABLE),
            new Rule("ksyscall", ProgramType.KPROBE, 0),
            new Rule("kretsyscall", ProgramType.KPROBE, 0),
            new Rule("usdt", ProgramType.KPROBE, 0),
            new Rule("kprobe.multi", ProgramType.KPROBE, 0),
            new Rule("kretprobe.multi", ProgramType.KPROBE, 0),
            new Rule("tracepoint", ProgramType.TRACEPOINT, 0),
            new Rule("tp", ProgramType.TRACEPOINT, 0),
            new Rule("raw_tracepoint", ProgramType.RAW_TRACEPOINT, 0),
            new Rule("raw_tp", ProgramType.RAW_TRACEPOINT, 0),
            new Rule("raw_tracepoint.w", ProgramType.RAW_TRACEPOINT_WRITABLE, 0),
            new Rule("raw_tp.w", ProgramType.RAW_TRACEPOINT_WRITABLE, 0),
            new Rule("tp_btf", ProgramType.TRACING, 0),
            new Rule("fentry", ProgramType.TRACING, 0),
            new Rule("fmod_ret", ProgramType.TRACING, 0),
            new Rule("fexit", ProgramType.TRACING, 0),
            new Rule("fentry.s", ProgramType.TRACING, ProgramSpec.F_SLEEPABLE),
            new Rule("fmod_ret.s", ProgramType.TRACING, ProgramSpec.F_SLEEPABLE),
            new Rule("fexit.s", ProgramType.TRACING, ProgramSpec.F_SLEEPABLE),
            new Rule("iter", ProgramType.TRACING, 0),
            new Rule("iter.s", ProgramType.TRACING, ProgramSpec.F_SLEEPABLE),
            new Rule("freplace", ProgramType.EXT, 0),
            new Rule("lsm", ProgramType.LSM, 0),
            new Rule("lsm.s", ProgramType.LSM, ProgramSpec.F_SLEEPABLE),
            new Rule("lsm_cgroup", ProgramType.LSM, 0),
            new Rule("syscall", ProgramType.SYSCALL, ProgramSpec.F_SLEEPABLE),
            new Rule("perf_event", ProgramType.PERF_EVENT, 0),
            new Rule("lwt_in", ProgramType.LWT_IN, 0),
            new Rule("lwt_out", ProgramType.LWT_OUT, 0),
            new Rule("lwt_xmit", ProgramType.LWT_XMIT, 0),
            new Rule("lwt_seg6local", ProgramType.LWT_SEG6LOCAL, 0),
            new Rule("sockops", ProgramType.SOCK_OPS, 0),
            new Rule("sk_skb", ProgramType.SK_SKB, 0),
            new Rule("sk_msg", ProgramType.SK_MSG, 0),
            new Rule("lirc_mode2", ProgramType.LIRC_MODE2, 0),
            new Rule("flow_dissector", ProgramType.FLOW_DISSECTOR, 0),
            new Rule("cgroup_skb", ProgramType.CGROUP_SKB, 0),
            new Rule("cgroup/skb", ProgramType.CGROUP_SKB, 0),
            new Rule("cgroup/dev", ProgramType.CGROUP_DEVICE, 0),
            new Rule("cgroup/sysctl", ProgramType.CGROUP_SYSCTL, 0),
            new Rule("cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, 0),
            new Rule("cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, 0),
            new Rule("cgroup/sock", ProgramType.CGROUP_SOCK, 0),
            new Rule("cgroup/sock_create", ProgramType.CGROUP_SOCK, 0),
            new Rule("cgroup/sock_release", ProgramType.CGROUP_SOCK, 0),
            new Rule("cgroup/post_bind4", ProgramType.CGROUP_SOCK, 0),
            new Rule("cgroup/post_bind6", ProgramType.CGROUP_SOCK, 0),
            new Rule("struct_ops", ProgramType.STRUCT_OPS, 0),
            new Rule("sk_lookup", ProgramType.SK_LOOKUP, 0));

    private SectionNames() {
    }

    /** @param section an ELF section name @return {type, flags} for it; UNSPEC when unknown */
    static ProgramType type(String section) {
        Rule r = rule(section);
        if (r != null) return r.type();
        if (section.startsWith("cgroup/")) return ProgramType.CGROUP_SOCK_ADDR; // bind4, connect6, sendmsg4, ...
        return ProgramType.UNSPEC;
    }

    /** @param section an ELF section name @return the {@code prog_flags} the section implies */
    static int flags(String section) {
        Rule r = rule(section);
        return r == null ? 0 : r.flags();
    }

    private static Rule rule(String section) {
        String s = section.startsWith("?") ? section.substring(1) : section;
        Rule best = null;
        for (Rule r : RULES) {
            if (r.matches(s) && (best == null || r.name().length() > best.name().length())) best = r;
        }
        return best;
    }
}

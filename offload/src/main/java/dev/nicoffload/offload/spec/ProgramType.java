package dev.nicoffload.offload.spec;

/** The kernel's {@code enum bpf_prog_type} (uapi numbers of Linux 6.1). */
public enum ProgramType {
    /** 0: no type (libbpf leaves {@code .text} functions untyped). */
    UNSPEC(0), SOCKET_FILTER(1), KPROBE(2),
    /** 3: TC classifier ({@code tc}, {@code classifier}); offloadable. */
    SCHED_CLS(3),
    SCHED_ACT(4), TRACEPOINT(5),
    /** 6: XDP; offloadable. */
    XDP(6),
    PERF_EVENT(7), CGROUP_SKB(8), CGROUP_SOCK(9), LWT_IN(10), LWT_OUT(11), LWT_XMIT(12),
    SOCK_OPS(13), SK_SKB(14), CGROUP_DEVICE(15), SK_MSG(16), RAW_TRACEPOINT(17), CGROUP_SOCK_ADDR(18),
    LWT_SEG6LOCAL(19), LIRC_MODE2(20), SK_REUSEPORT(21), FLOW_DISSECTOR(22), CGROUP_SYSCTL(23),
    RAW_TRACEPOINT_WRITABLE(24), CGROUP_SOCKOPT(25), TRACING(26), STRUCT_OPS(27), EXT(28), LSM(29),
    SK_LOOKUP(30), SYSCALL(31);

    private final int value;

    ProgramType(int value) {
        this.value = value;
    }

    /** @return the uapi number passed as {@code prog_type} to {@code BPF_PROG_LOAD} */
    public int value() {
        return value;
    }
}

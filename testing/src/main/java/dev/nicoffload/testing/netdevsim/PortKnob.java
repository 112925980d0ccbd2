package dev.nicoffload.testing.netdevsim;

/**
 * Port-level netdevsim debugfs knobs,
 * {@code /sys/kernel/debug/netdevsim/netdevsim<ID>/ports/<PORT>/<file>} (offload-facts §3.2).
 */
public enum PortKnob {
    /** N: TC offload refused ({@code netdevsim: netdevsim configured to reject BPF TC offload}). */
    BPF_TC_ACCEPT("bpf_tc_accept"),
    /** Y: also offload TC programs that are not bound to the device. */
    BPF_TC_NON_BOUND_ACCEPT("bpf_tc_non_bound_accept"),
    /** N: XDP driver-mode attach refused ({@code netdevsim: driver XDP disabled in DebugFS}). */
    BPF_XDPDRV_ACCEPT("bpf_xdpdrv_accept"),
    /** N: XDP HW attach and detach refused ({@code netdevsim: XDP offload disabled in DebugFS}). */
    BPF_XDPOFFLOAD_ACCEPT("bpf_xdpoffload_accept"),
    /** N: creating an offloaded map on this port fails with EOPNOTSUPP. */
    BPF_MAP_ACCEPT("bpf_map_accept");

    private final String file;

    PortKnob(String file) {
        this.file = file;
    }

    /** The debugfs file name. */
    public String file() {
        return file;
    }
}

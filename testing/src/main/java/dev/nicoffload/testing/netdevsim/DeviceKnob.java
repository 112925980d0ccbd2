package dev.nicoffload.testing.netdevsim;

/**
 * Device-level netdevsim debugfs knobs, {@code /sys/kernel/debug/netdevsim/netdevsim<ID>/<file>}
 * (offload-facts §3.2).
 */
public enum DeviceKnob {
    /** N: loading a program bound to this device fails with EOPNOTSUPP at prepare, with no log. */
    BPF_BIND_ACCEPT("bpf_bind_accept"),
    /** N: the verifier hook logs {@code [netdevsim] Hello from netdevsim!} and refuses with EOPNOTSUPP. */
    BPF_BIND_VERIFIER_ACCEPT("bpf_bind_verifier_accept"),
    /** Milliseconds the verifier hook sleeps at instruction 0 (holding the offload lock). */
    BPF_BIND_VERIFIER_DELAY("bpf_bind_verifier_delay");

    private final String file;

    DeviceKnob(String file) {
        this.file = file;
    }

    /** The debugfs file name. */
    public String file() {
        return file;
    }
}

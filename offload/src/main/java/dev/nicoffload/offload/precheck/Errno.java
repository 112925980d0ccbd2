package dev.nicoffload.offload.precheck;

/** The kernel errno values a refused NFP offload can end in. */
public enum Errno {
    /** 0: no error; used by warnings about behaviour that does not fail anything. */
    NONE(0),
    /** 1: operation not permitted. */
    EPERM(1),
    /** 7: argument list too long. */
    E2BIG(7),
    /** 12: out of memory (NFP map limits). */
    ENOMEM(12),
    /** 13: permission denied (core verifier refusals). */
    EACCES(13),
    /** 14: bad address (internal driver inconsistencies). */
    EFAULT(14),
    /** 16: device or resource busy. */
    EBUSY(16),
    /** 22: invalid argument. */
    EINVAL(22),
    /** 95: operation not supported. */
    EOPNOTSUPP(95),
    /** 524: the kernel-internal ENOTSUPP. */
    ENOTSUPP(524);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    /** @return the positive errno number */
    public int value() {
        return value;
    }
}

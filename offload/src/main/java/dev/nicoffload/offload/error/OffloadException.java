package dev.nicoffload.offload.error;

import java.util.Optional;

/**
 * A kernel or libbpf operation of nicoffload failed. Every instance says which operation, the errno
 * with its symbolic name, the kernel's extended-ack text when netlink sent one, and the verifier
 * log when a program load failed. The subtypes are what a caller can act on; anything else is a
 * {@link BpfOperationException}.
 * <p>
 * Argument mistakes are not reported this way: they raise {@link IllegalArgumentException} or
 * {@link IllegalStateException} before the kernel is asked.
 */
public abstract sealed class OffloadException extends RuntimeException
        permits DeviceNotOffloadCapableException, VerifierRejectedException, AttachRejectedException,
        DeviceGoneException, NotSupportedException, PermissionDeniedException, BpfOperationException,
        NfpIncompatibleException, MapOperationException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String errnoName;
    private final String extack;
    private final String verifierLog;

    OffloadException(Failure failure) {
        super(failure.message());
        this.operation = failure.operation();
        this.errno = failure.errno();
        this.errnoName = failure.errnoName();
        this.extack = failure.extack();
        this.verifierLog = failure.verifierLog();
    }

    /** What was being done, e.g. {@code load program 'xdp_pass' bound to eth1}. */
    public String operation() {
        return operation;
    }

    /** The positive errno the kernel (or libbpf) reported. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code EOPNOTSUPP}, {@code ENOTSUPP} for 524. */
    public String errnoName() {
        return errnoName;
    }

    /** The kernel's extended-ack message (netlink operations), without iproute2's {@code Error: } decoration. */
    public Optional<String> extack() {
        return Optional.ofNullable(extack);
    }

    /** The verifier log of a failed program load, when the kernel produced one. */
    public Optional<String> verifierLog() {
        return Optional.ofNullable(verifierLog);
    }
}

package dev.nicoffload.offload.error;

/**
 * The caller lacks a capability the operation needs (EPERM), or a file permission (EACCES, e.g. on a bpffs
 * pin); {@link #capability()} names what is missing.
 */
public final class PermissionDeniedException extends OffloadException {

    private static final long serialVersionUID = 1L;

    private final String capability;

    /** Creates the exception; {@code capability} names what is missing, e.g. {@code CAP_SYS_ADMIN}. */
    public PermissionDeniedException(Failure failure, String capability) {
        super(failure);
        this.capability = capability;
    }

    /** The capability the operation needs, e.g. {@code CAP_SYS_ADMIN}, or the permission for an EACCES. */
    public String capability() {
        return capability;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " (needs " + capability + ")";
    }
}

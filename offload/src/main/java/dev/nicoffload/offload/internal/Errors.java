package dev.nicoffload.offload.internal;

import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.error.BpfOperationException;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.DeviceNotOffloadCapableException;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.error.NotSupportedException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.error.PermissionDeniedException;
import dev.nicoffload.offload.error.VerifierRejectedException;

/** Turns an errno (plus extack / verifier log) into the matching {@link OffloadException} subtype. */
public final class Errors {

    /** Capability text for program loads. */
    public static final String CAP_LOAD = "CAP_BPF and CAP_NET_ADMIN, or CAP_SYS_ADMIN";
    /** Capability text for offloaded maps and id/fd lookups. */
    public static final String CAP_SYS_ADMIN = "CAP_SYS_ADMIN";
    /** Capability text for netlink link changes. */
    public static final String CAP_NET_ADMIN = "CAP_NET_ADMIN";
    /** What opening a bpffs pin needs when the kernel answers EACCES: the file's permission bits refuse the caller. */
    public static final String PIN_ACCESS = "read and write permission on the pin file, or CAP_DAC_OVERRIDE";

    private Errors() {
    }

    /** The common mapping: ENODEV, EPERM/EACCES, EOPNOTSUPP/ENOTSUPP, else a plain operation failure. */
    public static OffloadException of(Failure f, String capability) {
        return switch (f.errno()) {
            case Errno.ENODEV -> new DeviceGoneException(f);
            case Errno.EPERM, Errno.EACCES -> new PermissionDeniedException(f, capability);
            case Errno.EOPNOTSUPP, Errno.ENOTSUPP -> new NotSupportedException(f);
            default -> new BpfOperationException(f);
        };
    }

    /** Failure of an operation needing {@code CAP_SYS_ADMIN}, with no extack or log. */
    public static OffloadException of(String operation, int errno) {
        return of(Failure.of(operation, errno), CAP_SYS_ADMIN);
    }

    /**
     * A failed program load: a verifier log with findings means the verifier (or the offload
     * driver's hook) refused the program; otherwise the errno decides. The log is kept either way.
     */
    public static OffloadException load(String operation, int errno, String verifierLog) {
        Failure f = new Failure(operation, errno, null, verifierLog);
        if (errno == Errno.EPERM) {
            return new PermissionDeniedException(f, CAP_LOAD);
        }
        if (errno == Errno.ENODEV) {
            return new DeviceGoneException(f);
        }
        if (hasFindings(f.verifierLog())) {
            return new VerifierRejectedException(f);
        }
        return of(f, CAP_LOAD);
    }

    /**
     * True when a verifier log says more than its closing statistics ({@code processed N insns ...}),
     * which is all the kernel writes when the load failed before verification started.
     */
    public static boolean hasFindings(String verifierLog) {
        if (verifierLog == null) {
            return false;
        }
        return verifierLog.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("processed ")
                && !l.startsWith("verification time") && !l.startsWith("stack depth"));
    }

    /**
     * True when {@code device} no longer exists in the caller's netns (its ifindex resolves to no
     * netdev): the kernel then refuses bound loads and map creations with EINVAL, as it does for a
     * device that cannot offload, so the errno alone cannot tell the two apart.
     */
    public static boolean deviceGone(OffloadDevice device) {
        return LibC.ifIndexToName(device.ifindex()).isEmpty();
    }

    /**
     * A failed operation on {@code device}: {@link DeviceGoneException} when the device has gone
     * (whatever errno the kernel chose; the message says so), else the common mapping.
     */
    public static OffloadException onDevice(Failure f, OffloadDevice device, String capability) {
        if (f.errno() != Errno.EPERM && f.errno() != Errno.EACCES && deviceGone(device)) {
            return gone(f, device);
        }
        return of(f, capability);
    }

    /** {@code f} as a {@link DeviceGoneException}, its operation noting that {@code device} no longer exists. */
    public static DeviceGoneException gone(Failure f, OffloadDevice device) {
        return new DeviceGoneException(new Failure(f.operation() + " (" + device.name() + " no longer exists)",
                f.errno(), f.extack(), f.verifierLog()));
    }

    /** The device refused binding (confirmed by a probe load). */
    public static OffloadException notCapable(String operation, int errno, String device) {
        return new DeviceNotOffloadCapableException(Failure.of(operation, errno), device);
    }

    /** A failed attach/detach over netlink, with the kernel's extack text. */
    public static OffloadException attach(String operation, int errno, String extack) {
        Failure f = new Failure(operation, errno, extack, null);
        return switch (errno) {
            case Errno.ENODEV -> new DeviceGoneException(f);
            case Errno.EPERM, Errno.EACCES -> new PermissionDeniedException(f, CAP_NET_ADMIN);
            default -> new AttachRejectedException(f);
        };
    }
}

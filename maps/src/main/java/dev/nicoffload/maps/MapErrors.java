package dev.nicoffload.maps;

import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.offload.error.BpfOperationException;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.error.InvalidMapOperationException;
import dev.nicoffload.offload.error.KeyExistsException;
import dev.nicoffload.offload.error.KeyNotFoundException;
import dev.nicoffload.offload.error.MapFullException;
import dev.nicoffload.offload.error.NotSupportedException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.error.PermissionDeniedException;

/** The errno of a failed map element operation as the typed exception a caller can act on. */
final class MapErrors {

    private MapErrors() {
    }

    static OffloadException of(String operation, int errno) {
        Failure f = Failure.of(operation, errno);
        return switch (errno) {
            case Errno.ENOENT -> new KeyNotFoundException(f);
            case Errno.EEXIST -> new KeyExistsException(f);
            case Errno.E2BIG -> new MapFullException(f);
            case Errno.EINVAL -> new InvalidMapOperationException(f);
            case Errno.ENODEV -> new DeviceGoneException(f);
            case Errno.EOPNOTSUPP, Errno.ENOTSUPP -> new NotSupportedException(f);
            case Errno.EPERM, Errno.EACCES -> new PermissionDeniedException(f, "CAP_SYS_ADMIN (offloaded maps) or CAP_BPF");
            default -> new BpfOperationException(f);
        };
    }
}

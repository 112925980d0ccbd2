package dev.nicoffload.offload.internal;

import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.offload.error.Failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * bpffs pinning: {@code BPF_OBJ_PIN} and {@code BPF_OBJ_GET}, behind the ownership rule of
 * {@link PinPathCheck}: a pin is made only in a directory on bpffs that nobody else can write, and
 * opened only through such directories and through symbolic links the caller or root owns.
 */
public final class Pins {

    /** What a path lookup refused with EACCES needs. */
    private static final String DIRECTORY_ACCESS = "search permission on the directories of the path, or CAP_DAC_READ_SEARCH";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private Pins() {
    }

    private static PinPathCheck checker() {
        return new PinPathCheck(LibC.geteuid(), PinPathCheck::isBpffs);
    }

    private static String notBpffs(Path path, Path existing) {
        return "not a bpffs path: " + path + " (" + existing + " is on a " + PinPathCheck.fileSystemType(existing)
                + " file system; pins live in a bpf file system, e.g. /sys/fs/bpf)";
    }

    /**
     * Pins {@code fd} at {@code path}: its directory must exist on bpffs and pass the ownership rule.
     *
     * @throws IllegalArgumentException when the path is not absolute, not on bpffs, or a directory on it fails the rule
     */
    public static void pin(int fd, Path path, String what) {
        Path dir = checkDirectory(path.getParent() == null ? path : path.getParent(), path);
        Path at = dir.resolve(path.getFileName().toString());
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            int rc = LibBpf.objPin(fd, arena.allocateFrom(at.toString()));
            if (rc < 0) {
                throw Errors.of(Failure.of("pin " + what + " at " + path, -rc), Errors.CAP_SYS_ADMIN);
            }
        }
    }

    /** Checks {@code dir} for {@link #pin}; returns its real path. */
    private static Path checkDirectory(Path dir, Path forPath) {
        if (!forPath.isAbsolute()) {
            throw new IllegalArgumentException("pin path must be absolute (in a bpffs mount): " + forPath);
        }
        PinPathCheck.Walk w = checker().walk(dir);
        if (w.kind() == PinPathCheck.Kind.MISSING) {
            throw Errors.of(Failure.of("pin at " + forPath + ": directory " + w.real(), Errno.ENOENT), Errors.CAP_SYS_ADMIN);
        }
        if (w.kind() == PinPathCheck.Kind.DENIED) {
            throw Errors.of(Failure.of("pin at " + forPath + ": look up " + w.real(), Errno.EACCES), DIRECTORY_ACCESS);
        }
        if (w.kind() != PinPathCheck.Kind.DIRECTORY) {
            throw new IllegalArgumentException(w.real() + " is not a directory (pinning at " + forPath + ")");
        }
        if (!w.lastOnBpffs()) {
            throw new IllegalArgumentException(notBpffs(forPath, w.real()));
        }
        return w.real();
    }

    /**
     * Creates {@code dir} and its missing parents for pins, each owned by the caller with mode 0700,
     * after checking that the part that exists is on bpffs and passes the ownership rule; checks
     * the whole path again afterwards. On failure every directory it created is removed again.
     *
     * @return the directories it created, outermost first (empty when {@code dir} existed)
     * @throws IllegalArgumentException when {@code dir} is not absolute, not on bpffs, or a directory on it fails the rule
     * @throws dev.nicoffload.offload.error.PermissionDeniedException when the caller may not create or look up a directory (EACCES)
     * @throws UncheckedIOException     when a directory cannot be created for another reason
     */
    public static List<Path> createDirectories(Path dir) {
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("pin directory must be absolute (in a bpffs mount): " + dir);
        }
        PinPathCheck check = checker();
        PinPathCheck.Walk w = check.walk(dir);
        if (w.kind() == PinPathCheck.Kind.FILE) {
            throw new IllegalArgumentException(w.real() + " is not a directory (pin directory " + dir + ")");
        }
        if (w.kind() == PinPathCheck.Kind.DENIED) {
            throw Errors.of(Failure.of("create pin directory " + dir + " (look up " + w.real() + ")", Errno.EACCES), DIRECTORY_ACCESS);
        }
        if (w.kind() == PinPathCheck.Kind.DIRECTORY) {
            if (!w.lastOnBpffs()) {
                throw new IllegalArgumentException(notBpffs(dir, w.real()));
            }
            return List.of();
        }
        Path existing = w.real().getParent();
        if (!w.lastOnBpffs()) {
            throw new IllegalArgumentException(notBpffs(dir, existing));
        }
        // the walk stopped at the first missing component: create it and the names after it
        List<Path> created = new ArrayList<>();
        boolean ok = false;
        try {
            Path p = w.real();
            createOwnerOnly(p, dir, created);
            for (String name : w.after()) {
                if (name.equals(".") || name.equals("..")) {
                    throw new IllegalArgumentException("pin directory " + dir + ": cannot create '" + name + "' under " + p);
                }
                p = p.resolve(name);
                createOwnerOnly(p, dir, created);
            }
            PinPathCheck.Walk again = check.walk(dir);
            if (again.kind() != PinPathCheck.Kind.DIRECTORY || !again.lastOnBpffs()) {
                throw new IllegalArgumentException("pin directory " + dir + " changed while it was created");
            }
            ok = true;
            return List.copyOf(created);
        } finally {
            if (!ok) {
                removeDirectories(created);
            }
        }
    }

    private static void createOwnerOnly(Path p, Path forDir, List<Path> created) {
        try {
            Files.createDirectory(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            created.add(p);
            Files.setPosixFilePermissions(p, OWNER_ONLY); // whatever the umask
        } catch (AccessDeniedException denied) {
            throw Errors.of(Failure.of("create pin directory " + p, Errno.EACCES),
                    "write and search permission on " + p.getParent() + ", or CAP_DAC_OVERRIDE");
        } catch (FileAlreadyExistsException raced) {
            throw new IllegalArgumentException("pin directory " + p + " appeared while " + forDir + " was being created");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pin directory " + p + ": " + e.getMessage(), e);
        }
    }

    /** Removes directories made by {@link #createDirectories}, innermost first; quiet about ones already gone. */
    public static void removeDirectories(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                // not empty or gone: leave it, the caller reports what it made
            }
        }
    }

    /**
     * Opens the object pinned at {@code path}; returns its fd.
     *
     * @param kind {@code program} or {@code map}: a pin of the other kind is refused
     * @throws IllegalArgumentException when the path is not absolute, is a directory, is not on bpffs, or a
     *                                  directory or symbolic link on the way fails the ownership rule
     */
    public static int open(Path path, String kind) {
        if (path == null || !path.isAbsolute()) {
            throw new IllegalArgumentException("pin path must be absolute (in a bpffs mount): " + path);
        }
        PinPathCheck.Walk w = checker().walk(path);
        if (w.kind() == PinPathCheck.Kind.DIRECTORY) {
            throw new IllegalArgumentException(path + " is a directory, not a pinned " + kind);
        }
        if (w.kind() == PinPathCheck.Kind.MISSING) {
            throw Errors.of(Failure.of("open pinned " + kind + " " + path + " (" + w.real() + ")", Errno.ENOENT), Errors.CAP_SYS_ADMIN);
        }
        if (w.kind() == PinPathCheck.Kind.DENIED) {
            throw Errors.of(Failure.of("open pinned " + kind + " " + path + " (look up " + w.real() + ")", Errno.EACCES), DIRECTORY_ACCESS);
        }
        if (!w.lastOnBpffs()) {
            throw new IllegalArgumentException(notBpffs(path, w.real()));
        }
        // the real path, so that the kernel follows no link the walk did not judge
        String p = w.real().toString();
        LibBpf.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibBpf.objGet(arena.allocateFrom(p));
            if (fd < 0) {
                // EACCES: the pin's mode bits (BPF_OBJ_GET opens it read-write); EPERM: a missing capability
                throw Errors.of(Failure.of("open pinned " + kind + " " + path, -fd), -fd == Errno.EACCES ? Errors.PIN_ACCESS : Errors.CAP_SYS_ADMIN);
            }
            String expected = kind.equals("program") ? "anon_inode:bpf-prog" : "anon_inode:bpf-map";
            String actual = fdTarget(fd);
            if (!expected.equals(actual)) {
                Fds.closeQuietly(fd);
                throw new IllegalArgumentException(path + " is not a pinned " + kind + " (" + actual + ")");
            }
            return fd;
        }
    }

    private static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

package dev.nicoffload.offload.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The ownership rule for bpffs paths (ssh's StrictModes rule), checked component by component with
 * {@code lstat} semantics before a pin is made or opened: every directory on bpffs must belong to
 * the caller or to root and must not be writable by group or others, unless it is a sticky
 * directory owned by root (the bpffs mount root itself, mode 1777); a symbolic link on bpffs is
 * followed only when the caller or root owns it. Whoever could write one of these directories
 * could delete the caller's pins or plant a link to another program in their place; the check
 * holds up after it ran because nobody else can write the directories it accepted.
 *
 * <p>Components outside bpffs (such as {@code /sys}) are not judged; the path must end on bpffs.
 */
final class PinPathCheck {

    /** The kernel's symlink limit ({@code MAXSYMLINKS}): more hops is ELOOP. */
    private static final int MAX_LINKS = 40;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISVTX = 01000;

    private final int euid;
    private final Predicate<Path> onBpffs;

    /**
     * @param euid    the caller's effective uid
     * @param onBpffs whether an existing directory lies on a bpf file system
     */
    PinPathCheck(int euid, Predicate<Path> onBpffs) {
        this.euid = euid;
        this.onBpffs = onBpffs;
    }

    /**
     * The result of a walk: the real path reached, what its last component is, whether it lies on
     * bpffs (for a missing component: whether its directory does), and for a missing component the
     * names that followed it.
     */
    record Walk(Path real, Kind kind, boolean lastOnBpffs, List<String> after) {
    }

    /** What the last component of a walked path is. */
    enum Kind { DIRECTORY, FILE, MISSING, DENIED }

    /**
     * Why a directory with these owner and mode bits may not hold the caller's pins, or null when
     * it may.
     */
    static String directoryRefusal(Path dir, int uid, int mode, int euid) {
        if (uid != euid && uid != 0) {
            return "refusing " + dir + ": it is owned by uid " + uid + ", not by you (uid " + euid + ") or root,"
                    + " so that user could replace the pins in it";
        }
        boolean stickyRoot = (mode & S_ISVTX) != 0 && uid == 0;
        if ((mode & 0022) != 0 && !stickyRoot) {
            return "refusing " + dir + ": it is writable by " + ((mode & 0020) != 0 ? "its group" : "others")
                    + " (mode " + String.format("%04o", mode & 07777) + "), so another user could replace the pins in it";
        }
        return null;
    }

    /** Why a symbolic link with this owner may not be followed, or null when it may. */
    static String linkRefusal(Path link, Path target, int uid, int euid) {
        if (uid != euid && uid != 0) {
            return "refusing " + link + " -> " + target + ": the symbolic link belongs to uid " + uid
                    + ", not to you (uid " + euid + ") or root";
        }
        return null;
    }

    /**
     * Walks {@code path} (absolute) from {@code /}, applying the rule to every component on bpffs,
     * the last one included when it is a directory or a link; stops at the first missing component.
     *
     * @throws IllegalArgumentException when a component breaks the rule, or a component other than the last is not a directory
     */
    Walk walk(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("pin path must be absolute (in a bpffs mount): " + path);
        }
        Deque<String> rest = new ArrayDeque<>();
        path.normalize().forEach(n -> rest.addLast(n.toString()));
        Path current = path.getRoot();
        int links = 0;
        while (!rest.isEmpty()) {
            String name = rest.removeFirst();
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            if (name.equals(".")) {
                continue;
            }
            Path candidate = current.resolve(name);
            Map<String, Object> attrs;
            try {
                attrs = Files.readAttributes(candidate, "unix:mode,uid,dev", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                return new Walk(candidate, Kind.MISSING, bpffs(current, null), List.copyOf(rest));
            } catch (AccessDeniedException denied) {
                // no search permission on the directory: the kernel's lookup would be refused the same way
                return new Walk(candidate, Kind.DENIED, bpffs(current, null), List.copyOf(rest));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the attributes of " + candidate, e);
            }
            int mode = (Integer) attrs.get("mode");
            int uid = (Integer) attrs.get("uid");
            int type = mode & S_IFMT;
            if (type == S_IFLNK) {
                Path target;
                try {
                    target = Files.readSymbolicLink(candidate);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the symbolic link " + candidate, e);
                }
                if (bpffs(current, null)) {
                    String why = linkRefusal(candidate, target, uid, euid);
                    if (why != null) {
                        throw new IllegalArgumentException(why);
                    }
                }
                if (++links > MAX_LINKS) {
                    throw new IllegalArgumentException("too many levels of symbolic links in " + path);
                }
                for (int i = target.getNameCount() - 1; i >= 0; i--) {
                    rest.addFirst(target.getName(i).toString());
                }
                if (target.isAbsolute()) {
                    current = target.getRoot();
                }
                continue;
            }
            boolean bpf = bpffs(candidate, attrs.get("dev"));
            if (type == S_IFDIR) {
                if (bpf) {
                    String why = directoryRefusal(candidate, uid, mode, euid);
                    if (why != null) {
                        throw new IllegalArgumentException(why);
                    }
                }
                current = candidate;
                continue;
            }
            if (!rest.isEmpty()) {
                throw new IllegalArgumentException(candidate + " is not a directory (in " + path + ")");
            }
            return new Walk(candidate, Kind.FILE, bpf, List.of());
        }
        return new Walk(current, Kind.DIRECTORY, bpffs(current, null), List.of());
    }

    private boolean bpffs(Path existing, Object device) {
        return onBpffs.test(existing);
    }

    /** The default test: the file system type {@code bpf}, as {@code /proc/self/mounts} names it. */
    static boolean isBpffs(Path existing) {
        return "bpf".equals(fileSystemType(existing));
    }

    /** The type of the file system holding {@code existing}, or {@code unknown}. */
    static String fileSystemType(Path existing) {
        try {
            FileStore store = Files.getFileStore(existing);
            return store.type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

package dev.nicoffload.offload.internal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The StrictModes rule for pin paths, on a temporary directory standing in for bpffs. Ownership is
 * tested by telling the checker the caller is another uid than the one owning the files.
 */
class PinPathCheckTest {

    @TempDir
    Path tmp;
    private Path bpffs;
    private int me;

    @BeforeEach
    void fakeBpffs() throws IOException {
        bpffs = Files.createDirectory(tmp.resolve("bpffs"));
        Files.setPosixFilePermissions(bpffs, PosixFilePermissions.fromString("rwx------"));
        me = (Integer) Files.getAttribute(bpffs, "unix:uid");
    }

    private PinPathCheck asCaller(int euid) {
        return new PinPathCheck(euid, p -> p.startsWith(bpffs));
    }

    private Path dir(Path p, String mode) throws IOException {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void theRuleOnOwnerAndModeBits() {
        Path d = Path.of("/sys/fs/bpf/x");
        assertNull(PinPathCheck.directoryRefusal(d, 0, 040700, 0));
        assertNull(PinPathCheck.directoryRefusal(d, 0, 040755, 1000), "root's directory, not writable by others");
        assertNull(PinPathCheck.directoryRefusal(d, 0, 041777, 0), "the bpffs root: sticky, owned by root");
        assertNull(PinPathCheck.directoryRefusal(d, 1000, 040700, 1000));
        assertEquals("refusing /sys/fs/bpf/x: it is owned by uid 65534, not by you (uid 0) or root, so that user could replace the pins in it",
                PinPathCheck.directoryRefusal(d, 65534, 040700, 0));
        assertEquals("refusing /sys/fs/bpf/x: it is writable by others (mode 0777), so another user could replace the pins in it",
                PinPathCheck.directoryRefusal(d, 0, 040777, 0).replace("its group", "others"));
        assertTrue(PinPathCheck.directoryRefusal(d, 0, 040770, 0).contains("writable by its group (mode 0770)"));
        assertTrue(PinPathCheck.directoryRefusal(d, 1000, 041777, 1000).contains("mode 1777"), "sticky but not root's");
        assertNull(PinPathCheck.linkRefusal(d, Path.of("y"), 0, 1000));
        assertEquals("refusing /sys/fs/bpf/x -> /sys/fs/bpf/y: the symbolic link belongs to uid 65534, not to you (uid 0) or root",
                PinPathCheck.linkRefusal(d, Path.of("/sys/fs/bpf/y"), 65534, 0));
    }

    @Test
    void ownDirectoriesPassAndTheWalkReportsWhatItReached() throws IOException {
        Path pins = dir(bpffs.resolve("obj/progs"), "rwx------");
        Files.setPosixFilePermissions(bpffs.resolve("obj"), PosixFilePermissions.fromString("rwxr-xr-x"));
        PinPathCheck.Walk w = asCaller(me).walk(pins);
        assertEquals(PinPathCheck.Kind.DIRECTORY, w.kind());
        assertTrue(w.lastOnBpffs());
        assertEquals(pins, w.real());
        PinPathCheck.Walk missing = asCaller(me).walk(pins.resolve("a/b"));
        assertEquals(PinPathCheck.Kind.MISSING, missing.kind());
        assertEquals(pins.resolve("a"), missing.real());
        assertEquals(java.util.List.of("b"), missing.after());
        assertFalse(asCaller(me).walk(tmp).lastOnBpffs(), "outside the stand-in bpffs");
    }

    @Test
    void aDirectoryAnotherUserOwnsIsRefused() throws IOException {
        Path victim = dir(bpffs.resolve("victim/progs"), "rwx------");
        // uid 65534 made victim/ (chown; the host tests run as root, as their bpf() calls need)
        Files.setAttribute(victim.getParent(), "unix:uid", 65534);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> asCaller(me).walk(victim));
        assertEquals("refusing " + victim.getParent() + ": it is owned by uid 65534, not by you (uid " + me
                + ") or root, so that user could replace the pins in it", e.getMessage());
    }

    @Test
    void aGroupOrWorldWritableDirectoryIsRefused() throws IOException {
        Path open = dir(bpffs.resolve("open"), "rwxrwxrwx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> asCaller(me).walk(open.resolve("progs/x")));
        assertTrue(e.getMessage().contains("refusing " + open + ": it is writable by its group (mode 0777)"), e.getMessage());
    }

    @Test
    void aSymbolicLinkAnotherUserOwnsIsNotFollowed() throws IOException {
        Path real = dir(bpffs.resolve("real"), "rwx------");
        Files.writeString(real.resolve("prog"), "");
        Path link = Files.createSymbolicLink(bpffs.resolve("link"), real.resolve("prog"));
        PinPathCheck.Walk followed = asCaller(me).walk(link);
        assertEquals(real.resolve("prog"), followed.real(), "the caller's own link is followed");
        assertEquals(PinPathCheck.Kind.FILE, followed.kind());
        // the link planted by another user (lchown; the host tests run as root, as their bpf() calls need)
        Files.setAttribute(link, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        assertEquals(65534, Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> asCaller(me).walk(link));
        assertEquals("refusing " + link + " -> " + real.resolve("prog") + ": the symbolic link belongs to uid 65534, not to you (uid "
                + me + ") or root", e.getMessage());
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aFileInTheMiddleOfThePathIsNotADirectory() throws IOException {
        Files.writeString(bpffs.resolve("file"), "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> asCaller(me).walk(bpffs.resolve("file/x")));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void linkLoopsEnd() throws IOException {
        Files.createSymbolicLink(bpffs.resolve("a"), bpffs.resolve("b"));
        Files.createSymbolicLink(bpffs.resolve("b"), bpffs.resolve("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> asCaller(me).walk(bpffs.resolve("a")));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    }
}

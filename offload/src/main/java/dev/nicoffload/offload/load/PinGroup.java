package dev.nicoffload.offload.load;

import dev.nicoffload.offload.internal.Pins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pins made together, all or nothing: directories it creates under a bpffs directory (owned by the
 * caller, mode 0700) and the pins it makes in them are removed again when it is closed without
 * {@link #commit()}. Every directory is held to the ownership rule of {@link Program#pin}.
 *
 * <pre>{@code
 * try (PinGroup pins = PinGroup.under(Path.of("/sys/fs/bpf/myobj"))) {
 *     Path progs = pins.directory("progs");
 *     for (Program p : obj.programs()) pins.pin(p, progs.resolve(p.name()));
 *     pins.commit();
 * } // a failure above leaves nothing behind: pins.undone() lists what was removed
 * }</pre>
 */
public final class PinGroup implements AutoCloseable {

    private final Path root;
    private final List<Path> directories = new ArrayList<>();
    private final List<Path> pins = new ArrayList<>();
    private final List<Path> undone = new ArrayList<>();
    private final List<Path> leftOver = new ArrayList<>();
    private boolean committed;
    private boolean closed;

    private PinGroup(Path root) {
        this.root = root;
    }

    /**
     * Starts a group under {@code dir}, creating it (and missing parents) when it does not exist.
     *
     * @throws IllegalArgumentException when {@code dir} is not absolute, not on bpffs, or an existing directory
     *                                  on it belongs to another user or is writable by group or others
     * @throws java.io.UncheckedIOException when a directory cannot be created
     */
    public static PinGroup under(Path dir) {
        Objects.requireNonNull(dir, "dir");
        PinGroup g = new PinGroup(dir.toAbsolutePath().normalize());
        g.directories.addAll(Pins.createDirectories(g.root));
        return g;
    }

    /** The group's directory. */
    public Path root() {
        return root;
    }

    /** {@code name} under the group's directory, created (mode 0700) when missing, and checked. */
    public Path directory(String name) {
        checkOpen();
        Path dir = root.resolve(name).normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            throw new IllegalArgumentException("not a directory name under " + root + ": " + name);
        }
        directories.addAll(Pins.createDirectories(dir));
        return dir;
    }

    /** Pins {@code program} at {@code at} (see {@link Program#pin}). */
    public void pin(Program program, Path at) {
        checkOpen();
        program.pin(at);
        pins.add(at);
    }

    /** Pins {@code map} at {@code at} (see {@link BpfMap#pin}). */
    public void pin(BpfMap map, Path at) {
        checkOpen();
        map.pin(at);
        pins.add(at);
    }

    /** Keeps everything made: closing no longer removes it. */
    public void commit() {
        checkOpen();
        committed = true;
    }

    /** The directories this group created, outermost first. */
    public List<Path> createdDirectories() {
        return List.copyOf(directories);
    }

    /** The pins this group made, in order. */
    public List<Path> madePins() {
        return List.copyOf(pins);
    }

    /** After closing uncommitted: the pins and directories removed (pins first, each list innermost last to first). */
    public List<Path> undone() {
        return List.copyOf(undone);
    }

    /** After closing uncommitted: what could not be removed (empty when nothing was left behind). */
    public List<Path> leftOver() {
        return List.copyOf(leftOver);
    }

    /** Unless committed, removes every pin and then every directory this group made. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (committed) {
            return;
        }
        for (int i = pins.size() - 1; i >= 0; i--) {
            remove(pins.get(i));
        }
        for (int i = directories.size() - 1; i >= 0; i--) {
            remove(directories.get(i));
        }
    }

    private void remove(Path p) {
        try {
            Files.delete(p);
            undone.add(p);
        } catch (IOException e) {
            leftOver.add(p);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("pin group under " + root + " is closed");
        }
    }
}

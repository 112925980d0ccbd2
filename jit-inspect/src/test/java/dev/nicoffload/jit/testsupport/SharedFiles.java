package dev.nicoffload.jit.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the project's shared, read-only facts directory ({@code shared/}): system property
 * {@code nicoffload.shared}, else environment variable {@code NICOFFLOAD_SHARED}, else
 * {@code ../shared} relative to the project root (the parent of this module's directory).
 */
public final class SharedFiles {
    private SharedFiles() {}

    /** The shared directory; fails with a clear message if it cannot be found. */
    public static Path sharedDir() {
        String prop = System.getProperty("nicoffload.shared");
        if (prop == null || prop.isBlank()) {
            prop = System.getenv("NICOFFLOAD_SHARED");
        }
        Path dir = prop != null && !prop.isBlank()
                ? Path.of(prop)
                : moduleDir().resolve("../../shared").normalize();
        if (!Files.isDirectory(dir.resolve("nfp-vectors"))) {
            throw new IllegalStateException("shared facts directory not found at " + dir.toAbsolutePath()
                    + " (set -Dnicoffload.shared=... or NICOFFLOAD_SHARED)");
        }
        return dir;
    }

    /** This module's directory (Maven runs tests with the module directory as working directory). */
    public static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        return Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
    }
}

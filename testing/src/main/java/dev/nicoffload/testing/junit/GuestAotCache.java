package dev.nicoffload.testing.junit;

import dev.nicoffload.testing.vm.KernelImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ahead-of-time cache (JDK 25+, {@code -XX:AOTCache}) for a test JVM in the guest, recorded by a
 * training run on the host: the guest sees the host's files read-only at the same paths, so a cache
 * recorded for the same JDK, class path and JVM options is used there as it is (the guest JVM's
 * {@code -Xlog:aot} shows "Opened AOT cache"). It holds the JUnit Platform's and the libraries'
 * classes already parsed, verified and linked, which a JVM under software emulation otherwise spends
 * seconds on.
 *
 * <p>The JVM caches classes from JAR files only and refuses to record with a non-empty directory on
 * the class path, but accepts a class path at run time that extends the recorded one: so the guest
 * JVM's class path lists the JAR files first ({@link #jarsFirst}) and the cache is recorded for those
 * alone. {@code -Dnicoffload.vm.aot=false} turns it off (to measure what it gives). The cache lives under {@code ~/.cache/nicoffload/aot}, named after a hash of the JDK, the JVM
 * options and the JAR files, and is recorded again when a JAR file is newer than it.
 */
final class GuestAotCache {
    private static final long TRAINING_SECONDS = 180;

    private GuestAotCache() {
    }

    /** The class path with its JAR files first, in their order, then its directories. */
    static List<String> jarsFirst(List<String> classPath) {
        List<String> ordered = new ArrayList<>(classPath.stream().filter(GuestAotCache::isJar).toList());
        classPath.stream().filter(e -> !isJar(e)).forEach(ordered::add);
        return ordered;
    }

    /**
     * The options that make a guest JVM use the cache ({@code -XX:AOTCache=FILE}), recording it first
     * when missing or stale by running {@code trainingMain trainingArgs} on the host on the class
     * path's JAR files; no options when the JDK is older than 25, the options already choose a class data archive
     * ({@code -Xshare:}, {@code SharedArchiveFile}, {@code AOTCache}: the JVM refuses two), the cache would be hidden from the
     * guest (under {@code /tmp}), the training class is not in a JAR file, or it cannot be recorded (the guest JVM then only starts slower).
     *
     * @param jvmOptions the guest JVM's options (the cache is recorded with its {@code -XX:} and
     *                   {@code --enable-native-access} options)
     * @param classPath  the guest JVM's class path, already {@linkplain #jarsFirst JAR files first}
     */
    static List<String> options(List<String> jvmOptions, List<String> classPath, String trainingMain, List<String> trainingArgs) {
        if (Runtime.version().feature() < 25 || "false".equals(System.getProperty("nicoffload.vm.aot"))
                || jvmOptions.stream().anyMatch(o -> o.startsWith("-Xshare:") || o.contains("SharedArchiveFile") || o.contains("AOTCache"))) {
            return List.of();
        }
        List<String> jars = classPath.stream().filter(GuestAotCache::isJar).toList();
        List<String> recorded = jvmOptions.stream().filter(o -> o.startsWith("-XX:") || o.startsWith("--enable-native-access")).toList();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path dir = KernelImage.cacheDirectory().resolve("aot").toAbsolutePath().normalize();
        if (jars.isEmpty() || dir.startsWith("/tmp") || !inJar(trainingMain, jars)) {
            return List.of();
        }
        Path cache = dir.resolve("guest-" + hash(java + "\n" + recorded + "\n" + jars + "\n" + trainingMain) + ".aot");
        try {
            if (!fresh(cache, jars)) {
                Files.createDirectories(dir);
                Path partial = dir.resolve(cache.getFileName() + ".part" + ProcessHandle.current().pid());
                List<String> cmd = new ArrayList<>(List.of(java.toString()));
                cmd.addAll(recorded);
                cmd.addAll(List.of("-XX:AOTCacheOutput=" + partial, "-cp", String.join(":", jars), trainingMain));
                cmd.addAll(trainingArgs);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                if (p.isAlive() || p.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                    Files.deleteIfExists(partial);
                    return List.of();
                }
                Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return List.of("-XX:AOTCache=" + cache);
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static boolean fresh(Path cache, List<String> jars) throws IOException {
        if (!Files.isRegularFile(cache)) {
            return false;
        }
        long made = Files.getLastModifiedTime(cache).toMillis();
        for (String jar : jars) {
            Path p = Path.of(jar);
            if (!Files.exists(p) || Files.getLastModifiedTime(p).toMillis() >= made) {
                return false;
            }
        }
        return true;
    }

    /** Whether a JAR file holds the class (the training run sees the JAR files alone). */
    private static boolean inJar(String className, List<String> jars) {
        String entry = className.replace('.', '/') + ".class";
        for (String jar : jars) {
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar)) {
                if (z.getEntry(entry) != null) {
                    return true;
                }
            } catch (IOException e) {
                // not a readable JAR file: the JVM will say so
            }
        }
        return false;
    }

    private static boolean isJar(String entry) {
        return entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry));
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

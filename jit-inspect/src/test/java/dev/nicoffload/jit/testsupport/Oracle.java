package dev.nicoffload.jit.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * The test oracle: GNU objdump 2.40 built for nfp-elf and Debian's firmware-netronome files, both
 * fetched into a cache outside the repository by {@code src/test/scripts/fetch-oracle.sh}
 * (idempotent; cache dir from {@code -Dnicoffload.oracle.cache} or {@code NICOFFLOAD_ORACLE_CACHE},
 * default {@code ~/.cache/nicoffload/oracle}).
 */
public final class Oracle {
    private static Oracle instance;
    private static String unavailable;

    private final Path objdump;
    private final Path firmware;

    private Oracle(Path objdump, Path firmware) {
        this.objdump = objdump;
        this.firmware = firmware;
    }

    /** The oracle, or aborts the calling test (a JUnit skip) saying why it cannot be had. */
    public static synchronized Oracle require() {
        if (instance == null && unavailable == null) {
            try {
                instance = fetch();
            } catch (IOException | RuntimeException e) {
                unavailable = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted while fetching the oracle";
            }
        }
        if (instance == null) {
            throw new TestAbortedException("objdump oracle / firmware-netronome not available: " + unavailable);
        }
        return instance;
    }

    private static Oracle fetch() throws IOException, InterruptedException {
        String cache = System.getProperty("nicoffload.oracle.cache");
        if (cache == null || cache.isBlank()) {
            cache = System.getenv("NICOFFLOAD_ORACLE_CACHE");
        }
        if (cache == null || cache.isBlank()) {
            cache = Path.of(System.getProperty("user.home"), ".cache", "nicoffload", "oracle").toString();
        }
        Path script = SharedFiles.moduleDir().resolve("src/test/scripts/fetch-oracle.sh");
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), SharedFiles.sharedDir().toString(), cache);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("fetch-oracle.sh failed: " + out.strip());
        }
        Path objdump = null;
        Path firmware = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("objdump=")) {
                objdump = Path.of(line.substring(8));
            } else if (line.startsWith("firmware=")) {
                firmware = Path.of(line.substring(9));
            }
        }
        if (objdump == null || firmware == null || !Files.isExecutable(objdump) || !Files.isDirectory(firmware)) {
            throw new IOException("fetch-oracle.sh gave no usable paths: " + out.strip());
        }
        return new Oracle(objdump, firmware);
    }

    /** {@code lib/firmware/netronome} of the unpacked package. */
    public Path firmwareDir() {
        return firmware;
    }

    /** The oracle objdump binary. */
    public Path objdump() {
        return objdump;
    }

    /** Runs the oracle objdump with {@code args} and returns its standard output (must exit 0). */
    public String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(objdump.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
        try (InputStream in = p.getInputStream()) {
            in.transferTo(buf);
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("objdump " + args + " failed");
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}

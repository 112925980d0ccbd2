package dev.nicoffload.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Builds samples/consumer, a separate Maven project that depends on the installed
 * nicoffload-api and nicoffload-testing artifacts only, offline against the local repository, and
 * runs its {@code @NetdevsimTest} (which boots its own guest). Needs {@code ./mvnw install}
 * (scripts/test.sh runs it) so that the artifacts under test are the ones in the local repository.
 */
class ConsumerProjectTest {
    @Test
    void aSeparateProjectBuildsAgainstThePublishedArtifactsAndItsTestPassesInTheGuest() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path installed = Path.of(System.getProperty("user.home"), ".m2/repository/dev/nicoffload/nicoffload-api/0.1.0-SNAPSHOT/nicoffload-api-0.1.0-SNAPSHOT.jar");
        Path built = root.resolve("api/target/nicoffload-api-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.exists(installed) && Files.mismatch(installed, built) == -1,
                "the local repository does not hold this build's nicoffload-api: run ./mvnw install (scripts/test.sh does)");
        for (String module : new String[] {"api", "offload", "maps", "jit-inspect", "testing"}) {
            Path dir = installed.getParent().getParent().getParent().resolve("nicoffload-" + module).resolve("0.1.0-SNAPSHOT");
            for (String classifier : new String[] {"sources", "javadoc"}) {
                Path jar = dir.resolve("nicoffload-" + module + "-0.1.0-SNAPSHOT-" + classifier + ".jar");
                assertTrue(Files.size(jar) > 0, "published with a " + classifier + " jar: " + jar);
            }
        }

        ProcessBuilder pb = new ProcessBuilder(root.resolve("mvnw").toString(), "-B", "-o", "-ntp",
                "-f", root.resolve("samples/consumer/pom.xml").toString(), "clean", "verify")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("[consumer] " + line);
                out.append(line).append('\n');
            }
        }
        assertTrue(p.waitFor(20, TimeUnit.MINUTES), "consumer build finished");
        assertEquals(0, p.exitValue(), "consumer build failed; its output is above");
        assertTrue(out.toString().contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), "the consumer's offload test ran and passed");
    }
}

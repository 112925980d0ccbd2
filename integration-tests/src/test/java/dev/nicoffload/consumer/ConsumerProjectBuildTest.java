package dev.nicoffload.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Builds samples/consumer, a separate Maven project whose only dependency is nicoffload-api, offline
 * against the local repository, as a user's project would be built. Runs on the host before the guest
 * boot (Surefire's alphabetical order: {@code consumer} before {@code guestrun}); the guest test
 * {@code dev.nicoffload.it.consumer.ConsumerAppTest} then runs the application it builds. Needs
 * {@code ./mvnw install} (scripts/test.sh runs it), so that the local repository holds this build.
 */
class ConsumerProjectBuildTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path CONSUMER = ROOT.resolve("samples/consumer");

    @Test
    void theConsumerProjectDependsOnNicoffloadApiOnly() throws Exception {
        String pom = Files.readString(CONSUMER.resolve("pom.xml"));
        String dependencies = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(dependencies);
        List<String> artifacts = new ArrayList<>();
        while (m.find()) {
            artifacts.add(m.group(1));
        }
        assertEquals(List.of("nicoffload-api"), artifacts, "the consumer's declared dependencies");
    }

    @Test
    void itBuildsOfflineAgainstTheLocalRepository() throws Exception {
        String repo = System.getProperty("maven.repo.local", Path.of(System.getProperty("user.home"), ".m2/repository").toString());
        Path installed = Path.of(repo, "dev/nicoffload/nicoffload-api/0.1.0-SNAPSHOT/nicoffload-api-0.1.0-SNAPSHOT.jar");
        Path built = ROOT.resolve("api/target/nicoffload-api-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.exists(installed) && Files.mismatch(installed, built) == -1,
                "the local repository does not hold this build's nicoffload-api: run ./mvnw install (scripts/test.sh does)");

        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-B", "-o", "-ntp", "-q",
                "-f", CONSUMER.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repo, "clean", "package")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("[consumer] " + line);
                out.append(line).append('\n');
            }
        }
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "consumer build finished");
        assertEquals(0, p.exitValue(), "the consumer project did not build offline; its Maven output:\n" + out);

        Path target = CONSUMER.resolve("target");
        assertTrue(Files.isRegularFile(target.resolve("offload-consumer-1.0.jar")), "the application jar");
        List<String> classPath = List.of(Files.readString(target.resolve("classpath")).strip().split(File.pathSeparator));
        assertTrue(classPath.stream().anyMatch(e -> e.endsWith("nicoffload-api-0.1.0-SNAPSHOT.jar")), "api on " + classPath);
        assertTrue(classPath.stream().allMatch(e -> e.startsWith(repo)), "resolved from the local repository: " + classPath);
        assertTrue(classPath.stream().noneMatch(e -> e.contains("nicoffload-testing") || e.contains("junit")),
                "nothing but the library and its run-time dependencies: " + classPath);
    }
}

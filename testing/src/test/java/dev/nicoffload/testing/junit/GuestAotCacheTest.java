package dev.nicoffload.testing.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest JVM's class path order, and when an AOT cache is recorded and offered (training runs on the host). */
class GuestAotCacheTest {
    @TempDir
    Path dir;

    @Test
    void listsJarFilesFirstInTheirOrderThenDirectories() throws IOException {
        String classes = Files.createDirectories(dir.resolve("classes")).toString();
        String a = jar("a.jar", "x/A.class");
        String testClasses = Files.createDirectories(dir.resolve("test-classes")).toString();
        String b = jar("b.jar", "x/B.class");
        assertEquals(List.of(a, b, classes, testClasses), GuestAotCache.jarsFirst(List.of(classes, a, testClasses, b)));
    }

    @Test
    void offersNoCacheWhenTheTrainingClassIsInNoJarFile() throws IOException {
        String a = jar("a.jar", "x/A.class");
        assertEquals(List.of(), GuestAotCache.options(List.of("-XX:+UseSerialGC"), List.of(a, dir.toString()), "x.Missing", List.of()));
    }

    @Test
    void recordsACacheForTheJarFilesButNoneBesideAnotherClassDataArchiveOption() throws IOException, InterruptedException {
        Path src = Files.writeString(Files.createDirectories(dir.resolve("src")).resolve("T.java"),
                "public class T { public static void main(String[] a) { System.out.println(java.util.List.of(a)); } }");
        Path out = Files.createDirectories(dir.resolve("out"));
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "-d", out.toString(), src.toString())
                .inheritIO().start();
        assertEquals(0, javac.waitFor());
        Path jar = dir.resolve("t.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new ZipEntry("T.class"));
            j.write(Files.readAllBytes(out.resolve("T.class")));
            j.closeEntry();
        }
        List<String> cp = List.of(jar.toString(), out.toString());
        List<String> options = GuestAotCache.options(List.of("-XX:+UseSerialGC"), cp, "T", List.of("x"));
        try {
            assertEquals(1, options.size(), "recorded: " + options);
            assertTrue(options.get(0).startsWith("-XX:AOTCache="), options.get(0));
            Path cache = Path.of(options.get(0).substring("-XX:AOTCache=".length()));
            assertTrue(Files.size(cache) > 0);
            for (String other : List.of("-Xshare:auto", "-XX:SharedArchiveFile=/x.jsa", "-XX:AOTCache=/x.aot")) {
                assertEquals(List.of(), GuestAotCache.options(List.of("-XX:+UseSerialGC", other), cp, "T", List.of("x")), other);
            }
        } finally {
            for (String o : options) {
                Files.deleteIfExists(Path.of(o.substring(o.indexOf('=') + 1)));
            }
        }
    }

    private String jar(String name, String entry) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new ZipEntry(entry));
            jar.write(new byte[] {(byte) 0xca, (byte) 0xfe});
            jar.closeEntry();
        }
        return p.toString();
    }
}

package dev.nicoffload.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest {
    /** The version in this module's POM (its parent's), read from the file rather than from the build. */
    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "no parent version in cli/pom.xml");
        return m.group(1).trim();
    }

    @Test
    void versionIsThePomsFilteredIntoTheClasses() throws IOException {
        assertEquals(pomVersion(), Version.number());
    }

    @Test
    void versionOptionShowsIt() throws IOException {
        CommandLine cli = new CommandLine(new Main());
        assertArrayEquals(new String[] {"nicoffload " + pomVersion()}, cli.getCommandSpec().version());
    }
}

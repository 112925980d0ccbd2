package dev.nicoffload.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The tool's version for {@code --version}: the project version Maven writes into
 * {@code version.properties} beside this class when it builds the CLI (resource filtering), so the
 * version is written once, in the POM.
 */
public final class Version implements IVersionProvider {
    /** Creates the provider (picocli instantiates it). */
    public Version() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String number() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the CLI's classes (not built by Maven?)");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("version");
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new IllegalStateException("version.properties holds no filtered version: " + v);
        }
        return v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"nicoffload " + number()};
    }
}

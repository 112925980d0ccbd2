/** The {@code nicoffload} command-line tool; run it with {@code ./nicoffload} at the repository root. */
module dev.nicoffload.cli {
    requires dev.nicoffload.api;
    requires dev.nicoffload.testing;
    requires dev.nicoffload.samples;
    requires info.picocli;

    opens dev.nicoffload.cli to info.picocli;
}

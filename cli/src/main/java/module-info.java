/** The nicoffload command-line tool. */
module dev.nicoffload.cli {
    requires dev.nicoffload.api;
    requires dev.nicoffload.testing;
    requires dev.nicoffload.samples;
}

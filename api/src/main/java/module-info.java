/** The entry point {@code NicOffload}; requiring this module gives the whole public surface. */
module dev.nicoffload.api {
    requires transitive dev.nicoffload.offload;
    requires transitive dev.nicoffload.maps;
    requires transitive dev.nicoffload.jit;

    exports dev.nicoffload;
}

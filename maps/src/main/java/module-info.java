/** Typed offloaded maps: codecs, update semantics, atomic counters, all-or-nothing writes. */
module dev.nicoffload.maps {
    requires dev.nicoffload.ffm;
    requires transitive dev.nicoffload.offload;

    exports dev.nicoffload.maps;
    exports dev.nicoffload.maps.codec;
}

/** Specs read from BPF ELF objects, loading with device binding, XDP/TC attach, info, NFP pre-checker, errors. */
@SuppressWarnings("module") // qualified-export targets are compiled after this module
module dev.nicoffload.offload {
    requires dev.nicoffload.ffm;
    requires transitive dev.nicoffload.jit;
    requires transitive jdk.jfr;

    exports dev.nicoffload.offload.device;
    exports dev.nicoffload.offload.error;
    exports dev.nicoffload.offload.info;
    exports dev.nicoffload.offload.load;
    exports dev.nicoffload.offload.xdp;
    exports dev.nicoffload.offload.spec;
    exports dev.nicoffload.offload.precheck;
    exports dev.nicoffload.offload.tc;
    exports dev.nicoffload.offload.event;
    exports dev.nicoffload.offload.adapt;
    exports dev.nicoffload.offload.internal to dev.nicoffload.maps, dev.nicoffload.api;
}

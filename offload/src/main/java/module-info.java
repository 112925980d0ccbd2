/** Specs read from BPF ELF objects, loading with device binding, XDP/TC attach, info, NFP pre-checker, errors. */
module dev.nicoffload.offload {
    requires dev.nicoffload.ffm;
    requires transitive dev.nicoffload.jit;

    exports dev.nicoffload.offload.spec;
    exports dev.nicoffload.offload.precheck;
}

/** Sample BPF objects (compiled by clang in the build) and runnable examples of the nicoffload API. */
module dev.nicoffload.samples {
    requires dev.nicoffload.api;
    requires dev.nicoffload.testing;
    exports dev.nicoffload.samples;
    exports dev.nicoffload.samples.bpf;
}

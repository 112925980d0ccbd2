/**
 * libbpf and libc reached through Java FFM (downcalls, struct layouts, uapi constants).
 * Internal to nicoffload: packages are exported only to nicoffload's own modules, never to users.
 */
@SuppressWarnings("module") // the qualified-export targets are compiled after this module
module dev.nicoffload.ffm {
    requires rawbpf;

    exports dev.nicoffload.ffm.libc to dev.nicoffload.offload, dev.nicoffload.maps, dev.nicoffload.api, dev.nicoffload.testing;
    exports dev.nicoffload.ffm.libbpf to dev.nicoffload.offload, dev.nicoffload.maps, dev.nicoffload.api, dev.nicoffload.testing;
    exports dev.nicoffload.ffm.bpf to dev.nicoffload.offload, dev.nicoffload.maps, dev.nicoffload.api, dev.nicoffload.testing;
    exports dev.nicoffload.ffm.netlink to dev.nicoffload.offload, dev.nicoffload.maps, dev.nicoffload.api, dev.nicoffload.testing;
}

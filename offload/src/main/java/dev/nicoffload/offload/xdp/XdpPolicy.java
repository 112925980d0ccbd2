package dev.nicoffload.offload.xdp;

/** What to do when a program is already attached in the requested mode. */
public enum XdpPolicy {
    /** Fail ({@code XDP_FLAGS_UPDATE_IF_NOEXIST}): the kernel answers {@code XDP program already attached}. */
    IF_NOT_EXIST,
    /** Replace whatever is attached (like {@code ip -force link set ... xdp}). */
    REPLACE
}

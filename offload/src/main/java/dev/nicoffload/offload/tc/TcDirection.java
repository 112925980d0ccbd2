package dev.nicoffload.offload.tc;

/** Which clsact hook a filter sits on. Offload drivers (netdevsim, nfp) bind ingress only. */
public enum TcDirection {
    /** Packets received by the device. */
    INGRESS,
    /** Packets the device transmits. */
    EGRESS
}

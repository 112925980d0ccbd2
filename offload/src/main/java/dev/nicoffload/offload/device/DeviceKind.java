package dev.nicoffload.offload.device;

/** What kind of netdev an {@link OffloadDevice} is, from the driver name the kernel reports. */
public enum DeviceKind {
    /** The kernel's simulated NIC ({@code netdevsim}). */
    NETDEVSIM,
    /** A Netronome NFP SmartNIC ({@code nfp}). */
    NFP,
    /** The simulated NFP of the test kernel ({@code nfpsim}): NFP's own verifier and JIT, no hardware. */
    NFPSIM,
    /** Any other driver. */
    OTHER;

    /** True for devices whose offload path is NFP's (the NFP pre-checker applies). */
    public boolean isNfpClass() {
        return this == NFP || this == NFPSIM;
    }

    /** The kind for a driver name as reported by {@code ETHTOOL_GDRVINFO}. */
    public static DeviceKind ofDriver(String driver) {
        return switch (driver) {
            case "netdevsim" -> NETDEVSIM;
            case "nfp" -> NFP;
            case "nfpsim" -> NFPSIM;
            default -> OTHER;
        };
    }
}

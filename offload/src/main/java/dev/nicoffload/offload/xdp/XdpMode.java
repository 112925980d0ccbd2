package dev.nicoffload.offload.xdp;

/** Where an XDP program runs. */
public enum XdpMode {
    /** Generic XDP in the kernel's networking stack ({@code XDP_FLAGS_SKB_MODE}). */
    SKB(2),
    /** Native XDP in the driver ({@code XDP_FLAGS_DRV_MODE}). */
    DRV(4),
    /** Offloaded to the NIC ({@code XDP_FLAGS_HW_MODE}); the program must be bound to the device. */
    HW(8);

    private final int flag;

    XdpMode(int flag) {
        this.flag = flag;
    }

    /** The {@code XDP_FLAGS_*_MODE} bit. */
    public int flag() {
        return flag;
    }
}

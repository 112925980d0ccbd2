package dev.nicoffload.offload.xdp;

import dev.nicoffload.ffm.netlink.NetlinkCodec;

/** Where an XDP program runs. */
public enum XdpMode {
    /** Generic XDP in the kernel's networking stack ({@code XDP_FLAGS_SKB_MODE}). */
    SKB(NetlinkCodec.XDP_FLAGS_SKB_MODE),
    /** Native XDP in the driver ({@code XDP_FLAGS_DRV_MODE}). */
    DRV(NetlinkCodec.XDP_FLAGS_DRV_MODE),
    /** Offloaded to the NIC ({@code XDP_FLAGS_HW_MODE}); the program must be bound to the device. */
    HW(NetlinkCodec.XDP_FLAGS_HW_MODE);

    private final int flag;

    XdpMode(int flag) {
        this.flag = flag;
    }

    /** The {@code XDP_FLAGS_*_MODE} bit. */
    public int flag() {
        return flag;
    }
}

package dev.nicoffload.offload.tc;

import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.netlink.EthtoolCodec;
import dev.nicoffload.ffm.netlink.NetlinkSocket;
import dev.nicoffload.ffm.netlink.NlReply;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.internal.Errors;

import java.util.Map;
import java.util.Objects;

/**
 * The netdev feature {@code hw-tc-offload} ({@code ethtool -K DEV hw-tc-offload on|off}), read and
 * set through ethtool netlink ({@code ETHTOOL_MSG_FEATURES_GET / _SET}). Without it the kernel
 * refuses {@code skip_sw} filters with {@code TC offload is disabled on net device}; netdevsim
 * starts with it off.
 */
public final class HwTcOffload {

    /** The feature's ethtool name. */
    public static final String FEATURE = "hw-tc-offload";

    private HwTcOffload() {
    }

    /** Whether {@code hw-tc-offload} is active on {@code device}. */
    public static boolean isEnabled(OffloadDevice device) {
        return feature(device, EthtoolCodec.A_FEATURES_ACTIVE);
    }

    /** Whether the device can change {@code hw-tc-offload} at all (it is in its {@code hw_features}). */
    public static boolean isSupported(OffloadDevice device) {
        return feature(device, EthtoolCodec.A_FEATURES_HW);
    }

    /**
     * Turns {@code hw-tc-offload} on or off and checks that the device took the change.
     * <p>
     * Neither ethtool interface passes the driver's errno back: when the driver refuses (netdevsim
     * and nfp refuse to turn it off while a TC program is offloaded, with EBUSY in the driver),
     * the kernel keeps the old state and reports success. This method reads the state back and
     * raises a {@link dev.nicoffload.offload.error.BpfOperationException} with {@code EBUSY} when
     * the feature did not change, or a {@link dev.nicoffload.offload.error.NotSupportedException}
     * ({@code EOPNOTSUPP}) when the device cannot change it at all (it is not in its {@code hw_features}).
     */
    public static void set(OffloadDevice device, boolean enabled) {
        Objects.requireNonNull(device, "device");
        String op = "turn " + FEATURE + (enabled ? " on" : " off") + " on " + device.name();
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.GENERIC)) {
            int family = family(s, op);
            TcNetlink.call(s, EthtoolCodec.setFeatures(family, device.ifindex(), Map.of(FEATURE, enabled)), op);
            NlReply now = TcNetlink.call(s, EthtoolCodec.getFeatures(family, device.ifindex()), op);
            boolean active = EthtoolCodec.bitset(now.messages(), EthtoolCodec.A_FEATURES_ACTIVE).getOrDefault(FEATURE, false);
            if (active == enabled) {
                return;
            }
            if (!EthtoolCodec.bitset(now.messages(), EthtoolCodec.A_FEATURES_HW).getOrDefault(FEATURE, false)) {
                throw Errors.of(new Failure(op + " (the device cannot change " + FEATURE + ": no TC offload support)",
                        Errno.EOPNOTSUPP, null, null), Errors.CAP_NET_ADMIN);
            }
            throw Errors.of(new Failure(op + " (the driver kept it " + (active ? "on" : "off")
                    + "; refused while TC programs are offloaded)", Errno.EBUSY, null, null), Errors.CAP_NET_ADMIN);
        }
    }

    private static boolean feature(OffloadDevice device, int which) {
        Objects.requireNonNull(device, "device");
        String op = "read netdev features of " + device.name();
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.GENERIC)) {
            NlReply r = TcNetlink.call(s, EthtoolCodec.getFeatures(family(s, op), device.ifindex()), op);
            return EthtoolCodec.bitset(r.messages(), which).getOrDefault(FEATURE, false);
        }
    }

    private static int family(NetlinkSocket s, String op) {
        NlReply r = TcNetlink.call(s, EthtoolCodec.getFamily(EthtoolCodec.FAMILY), op + " (resolve the ethtool netlink family)");
        return EthtoolCodec.familyId(r.messages()).orElseThrow(() -> Errors.of(
                new Failure(op + " (no ethtool family id in the controller's reply)", TcNetlink.EPROTO, null, null),
                Errors.CAP_NET_ADMIN));
    }
}

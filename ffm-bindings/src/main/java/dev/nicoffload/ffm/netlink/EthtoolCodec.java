package dev.nicoffload.ffm.netlink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generic netlink requests for the {@code ethtool} family's netdev features
 * ({@code ETHTOOL_MSG_FEATURES_GET} / {@code _SET}, {@code linux/ethtool_netlink.h}), plus the
 * {@code nlctrl} lookup of the family id. Features are addressed by their ethtool names
 * ({@code hw-tc-offload}), so no kernel-specific bit numbers are needed. Pure Java.
 */
public final class EthtoolCodec {

    /** {@code GENL_ID_CTRL}. */
    public static final int GENL_ID_CTRL = 16;
    /** {@code sizeof(struct genlmsghdr)}. */
    public static final int GENLMSGHDR_LEN = 4;
    /** {@code CTRL_CMD_GETFAMILY}. */
    public static final int CTRL_CMD_GETFAMILY = 3;
    /** {@code CTRL_ATTR_FAMILY_ID}. */
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    /** {@code CTRL_ATTR_FAMILY_NAME}. */
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    /** {@code ETHTOOL_GENL_NAME}. */
    public static final String FAMILY = "ethtool";

    /** {@code ETHTOOL_MSG_FEATURES_GET}. */
    public static final int MSG_FEATURES_GET = 11;
    /** {@code ETHTOOL_MSG_FEATURES_SET}. */
    public static final int MSG_FEATURES_SET = 12;
    /** {@code ETHTOOL_A_FEATURES_HEADER}. */
    public static final int A_FEATURES_HEADER = 1;
    /** {@code ETHTOOL_A_FEATURES_HW}. */
    public static final int A_FEATURES_HW = 2;
    /** {@code ETHTOOL_A_FEATURES_WANTED}. */
    public static final int A_FEATURES_WANTED = 3;
    /** {@code ETHTOOL_A_FEATURES_ACTIVE}. */
    public static final int A_FEATURES_ACTIVE = 4;
    /** {@code ETHTOOL_A_HEADER_DEV_INDEX}. */
    public static final int A_HEADER_DEV_INDEX = 1;
    /** {@code ETHTOOL_A_HEADER_FLAGS}. */
    public static final int A_HEADER_FLAGS = 3;
    /** {@code ETHTOOL_FLAG_OMIT_REPLY}. */
    public static final int FLAG_OMIT_REPLY = 2;
    /** {@code ETHTOOL_A_BITSET_NOMASK}. */
    public static final int A_BITSET_NOMASK = 1;
    /** {@code ETHTOOL_A_BITSET_BITS}. */
    public static final int A_BITSET_BITS = 3;
    /** {@code ETHTOOL_A_BITSET_BITS_BIT}. */
    public static final int A_BITSET_BITS_BIT = 1;
    /** {@code ETHTOOL_A_BITSET_BIT_NAME}. */
    public static final int A_BITSET_BIT_NAME = 2;
    /** {@code ETHTOOL_A_BITSET_BIT_VALUE}. */
    public static final int A_BITSET_BIT_VALUE = 3;

    private EthtoolCodec() {
    }

    private static byte[] genlHeader(int cmd) {
        return new byte[] {(byte) cmd, 1, 0, 0};
    }

    /** {@code CTRL_CMD_GETFAMILY} for {@code name}. */
    public static NlRequest getFamily(String name) {
        return new NlRequest(GENL_ID_CTRL, 0).header(genlHeader(CTRL_CMD_GETFAMILY)).string(CTRL_ATTR_FAMILY_NAME, name);
    }

    /** The family id in a {@code CTRL_CMD_GETFAMILY} reply. */
    public static Optional<Integer> familyId(List<NlMessage> reply) {
        for (NlMessage m : reply) {
            if (m.type() == GENL_ID_CTRL) {
                Optional<NlAttr> id = m.attrs(GENLMSGHDR_LEN).first(CTRL_ATTR_FAMILY_ID);
                if (id.isPresent()) {
                    return Optional.of(id.get().u16());
                }
            }
        }
        return Optional.empty();
    }

    /** {@code ETHTOOL_MSG_FEATURES_GET} for a device, with verbose (named) bitsets. */
    public static NlRequest getFeatures(int familyId, int ifindex) {
        return new NlRequest(familyId, 0).header(genlHeader(MSG_FEATURES_GET))
                .begin(A_FEATURES_HEADER).u32(A_HEADER_DEV_INDEX, ifindex).end();
    }

    /** {@code ETHTOOL_MSG_FEATURES_SET}: turns the named features on or off, leaving the others alone. */
    public static NlRequest setFeatures(int familyId, int ifindex, Map<String, Boolean> wanted) {
        NlRequest r = new NlRequest(familyId, 0).header(genlHeader(MSG_FEATURES_SET))
                .begin(A_FEATURES_HEADER).u32(A_HEADER_DEV_INDEX, ifindex).u32(A_HEADER_FLAGS, FLAG_OMIT_REPLY).end()
                .begin(A_FEATURES_WANTED).begin(A_BITSET_BITS);
        for (Map.Entry<String, Boolean> e : wanted.entrySet()) {
            r.begin(A_BITSET_BITS_BIT).string(A_BITSET_BIT_NAME, e.getKey());
            if (e.getValue()) {
                r.flag(A_BITSET_BIT_VALUE);
            }
            r.end();
        }
        return r.end().end();
    }

    /**
     * One bitset attribute ({@code ETHTOOL_A_FEATURES_HW}, {@code _ACTIVE}, ...) of a features
     * reply, as feature name to value. A bitset marked {@code NOMASK} lists only the set bits; a
     * bitset with a mask lists every masked bit and flags the set ones with {@code BIT_VALUE}.
     */
    public static Map<String, Boolean> bitset(List<NlMessage> reply, int which) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (NlMessage m : reply) {
            Optional<NlAttr> set = m.attrs(GENLMSGHDR_LEN).first(which);
            if (set.isEmpty()) {
                continue;
            }
            NlAttrs bitset = set.get().attrs();
            boolean noMask = bitset.has(A_BITSET_NOMASK);
            Optional<NlAttr> bits = bitset.first(A_BITSET_BITS);
            if (bits.isEmpty()) {
                continue; // compact form: not requested by this codec
            }
            for (NlAttr bit : bits.get().attrs().all(A_BITSET_BITS_BIT)) {
                NlAttrs b = bit.attrs();
                Optional<NlAttr> name = b.first(A_BITSET_BIT_NAME);
                if (name.isPresent()) {
                    out.put(name.get().string(), noMask || b.has(A_BITSET_BIT_VALUE));
                }
            }
        }
        return out;
    }
}

package dev.nicoffload.offload.xdp;

/**
 * The XDP programs attached to a device, per mode, as the kernel reports them ({@code IFLA_XDP}).
 * An id of 0 means nothing is attached in that mode.
 *
 * @param attachMode  {@code IFLA_XDP_ATTACHED}: 0 none, 1 DRV, 2 SKB, 3 HW, 4 several modes
 * @param programId   the single attached program's id; 0 when none or when several modes are in use
 * @param skbProgramId id attached in SKB mode
 * @param drvProgramId id attached in DRV mode
 * @param hwProgramId  id attached in HW mode
 */
public record XdpState(int attachMode, int programId, int skbProgramId, int drvProgramId, int hwProgramId) {

    /** {@code XDP_ATTACHED_MULTI}. */
    public static final int ATTACHED_MULTI = 4;

    /** The id attached in {@code mode}, 0 when none. */
    public int programId(XdpMode mode) {
        return switch (mode) {
            case SKB -> skbProgramId;
            case DRV -> drvProgramId;
            case HW -> hwProgramId;
        };
    }

    /** True when programs are attached in more than one mode. */
    public boolean multi() {
        return attachMode == ATTACHED_MULTI;
    }

    /** True when nothing is attached. */
    public boolean none() {
        return attachMode == 0;
    }
}

package dev.nicoffload.ffm.netlink;

/**
 * The kernel's answer to a netlink request.
 *
 * @param errno  0 on success, else the positive errno
 * @param extack the extended-ack message ({@code NLMSGERR_ATTR_MSG}) or null when the kernel sent none
 */
public record NetlinkAck(int errno, String extack) {

    /** True when the request succeeded. */
    public boolean ok() {
        return errno == 0;
    }
}

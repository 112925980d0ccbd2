package dev.nicoffload.ffm.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** The {@code SIOCETHTOOL} ioctl, for {@code ETHTOOL_GDRVINFO} (what {@code ethtool -i} shows). */
public final class Ethtool {

    /** {@code SIOCETHTOOL}. */
    public static final long SIOCETHTOOL = 0x8946;
    /** {@code ETHTOOL_GDRVINFO}. */
    public static final int ETHTOOL_GDRVINFO = 0x3;

    /** {@code struct ifreq} as used by SIOCETHTOOL: the name and the {@code ifr_data} pointer (40 bytes). */
    public static final StructLayout IFREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ifr_name"),
            ADDRESS.withName("ifr_data"),
            MemoryLayout.paddingLayout(16));

    /** {@code struct ethtool_drvinfo} (196 bytes). */
    public static final StructLayout DRVINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("cmd"),
            MemoryLayout.sequenceLayout(32, JAVA_BYTE).withName("driver"),
            MemoryLayout.sequenceLayout(32, JAVA_BYTE).withName("version"),
            MemoryLayout.sequenceLayout(32, JAVA_BYTE).withName("fw_version"),
            MemoryLayout.sequenceLayout(32, JAVA_BYTE).withName("bus_info"),
            MemoryLayout.sequenceLayout(32, JAVA_BYTE).withName("erom_version"),
            MemoryLayout.sequenceLayout(12, JAVA_BYTE).withName("reserved2"),
            JAVA_INT.withName("n_priv_flags"),
            JAVA_INT.withName("n_stats"),
            JAVA_INT.withName("testinfo_len"),
            JAVA_INT.withName("eedump_len"),
            JAVA_INT.withName("regdump_len"));

    private Ethtool() {
    }

    /**
     * Driver information of a netdev in the caller's netns.
     *
     * @param errno   0 on success, else the errno of socket/ioctl
     * @param driver  the driver name (e.g. {@code netdevsim}, {@code nfp}, {@code nfpsim}); empty on failure
     * @param busInfo the bus address the driver reports; empty on failure
     */
    public record DriverInfo(int errno, String driver, String busInfo) {
    }

    /** {@code ETHTOOL_GDRVINFO} for {@code ifname} (at most 15 bytes). */
    public static DriverInfo driverInfo(String ifname) {
        byte[] name = ifname.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > 15) {
            throw new IllegalArgumentException("interface name must be 1..15 bytes: " + ifname);
        }
        SysResult s = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (s.failed()) {
            return new DriverInfo(s.errno(), "", "");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(DRVINFO);
            info.set(JAVA_INT, 0, ETHTOOL_GDRVINFO);
            MemorySegment ifr = arena.allocate(IFREQ);
            ifr.copyFrom(MemorySegment.ofArray(name));
            ifr.set(ADDRESS, IFREQ.byteOffset(MemoryLayout.PathElement.groupElement("ifr_data")), info);
            SysResult r = LibC.ioctl(s.intValue(), SIOCETHTOOL, ifr);
            if (r.failed()) {
                return new DriverInfo(r.errno(), "", "");
            }
            return new DriverInfo(0, field(info, "driver"), field(info, "bus_info"));
        } finally {
            LibC.close(s.intValue());
        }
    }

    private static String field(MemorySegment info, String name) {
        long off = DRVINFO.byteOffset(MemoryLayout.PathElement.groupElement(name));
        return info.asSlice(off, 32).getString(0);
    }
}

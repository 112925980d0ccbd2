package dev.nicoffload.offload.info;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel reports about a loaded program ({@code BPF_OBJ_GET_INFO_BY_FD}). For a program
 * bound to a device, {@link #ifindex()} and the netns identity say where; {@link #ifname()} is
 * present only when that device is in the caller's network namespace.
 *
 * @param id                   the kernel's program id
 * @param type                 the program type, or null for a type this library does not know
 * @param tag                  the program tag (8 bytes) as 16 hex digits
 * @param name                 the program name (at most 15 characters)
 * @param ifindex              ifindex of the bound device, 0 when not bound
 * @param netnsDev             device number of the bound device's netns (nsfs), 0 when not bound
 * @param netnsIno             inode of the bound device's netns, 0 when not bound
 * @param ifname               the bound device's name when it is in the caller's netns
 * @param mapIds               ids of the maps the program uses
 * @param xlatedLength         bytes of the host's translated program
 * @param jitedLength          bytes of the JIT image (the NFP image for NFP offload; 0 on netdevsim)
 * @param verifiedInstructions instructions the verifier processed
 * @param orphaned             true when the program's device disappeared (get_info gives ENODEV); all
 *                             other fields except {@code id} are then empty
 */
public record ProgramInfo(int id, ProgramType type, String tag, String name, int ifindex, long netnsDev,
                          long netnsIno, Optional<String> ifname, List<Integer> mapIds, int xlatedLength,
                          int jitedLength, int verifiedInstructions, boolean orphaned) {

    /** Validates and copies. */
    public ProgramInfo {
        mapIds = List.copyOf(mapIds);
        if (ifname == null) {
            ifname = Optional.empty();
        }
    }

    /** An orphaned program: only its id is known. */
    public static ProgramInfo orphan(int id) {
        return new ProgramInfo(id, null, "", "", 0, 0, 0, Optional.empty(), List.of(), 0, 0, 0, true);
    }

    /** True when the program is bound to a device (loaded with {@code prog_ifindex}). */
    public boolean deviceBound() {
        return ifindex != 0;
    }

    /** The tag as bytes. */
    public byte[] tagBytes() {
        return HexFormat.of().parseHex(tag);
    }
}

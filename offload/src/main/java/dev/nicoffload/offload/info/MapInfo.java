package dev.nicoffload.offload.info;

import java.util.Optional;

/**
 * What the kernel reports about a map ({@code BPF_OBJ_GET_INFO_BY_FD}); for an offloaded map the
 * device's ifindex and netns identity, and its name when it is in the caller's netns.
 *
 * @param id         the kernel's map id
 * @param type       the map type, or null for a type this library does not know
 * @param name       the map name (at most 15 characters)
 * @param keySize    key size in bytes
 * @param valueSize  value size in bytes
 * @param maxEntries maximum number of entries
 * @param flags      map flags
 * @param ifindex    ifindex of the device the map is offloaded to, 0 for a host map
 * @param netnsDev   device number of that device's netns, 0 for a host map
 * @param netnsIno   inode of that device's netns, 0 for a host map
 * @param ifname     the device's name when it is in the caller's netns
 * @param btfId      id of the map's BTF, 0 when it has none (always 0 for an offloaded map)
 */
public record MapInfo(int id, MapType type, String name, int keySize, int valueSize, int maxEntries, int flags,
                      int ifindex, long netnsDev, long netnsIno, Optional<String> ifname, int btfId) {

    /** Normalises a null {@code ifname}. */
    public MapInfo {
        if (ifname == null) {
            ifname = Optional.empty();
        }
    }

    /** True when the map lives on a device. */
    public boolean offloaded() {
        return ifindex != 0;
    }
}

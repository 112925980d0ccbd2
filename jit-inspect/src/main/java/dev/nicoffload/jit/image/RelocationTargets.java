package dev.nicoffload.jit.image;

import java.util.Map;

/**
 * What the driver needs to relocate an image for one device: where the program is loaded in the
 * code store, the firmware's next-packet entry and its helper addresses.
 *
 * @param startOffset code-store index of the image's first instruction
 * @param nextPacket firmware address of the next-packet entry
 * @param helpers firmware address of each helper, by BPF helper id
 */
public record RelocationTargets(int startOffset, int nextPacket, Map<Integer, Integer> helpers) {
    /** Copies the helper map. */
    public RelocationTargets {
        helpers = Map.copyOf(helpers);
    }
}

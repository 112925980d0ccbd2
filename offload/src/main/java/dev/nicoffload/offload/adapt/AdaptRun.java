package dev.nicoffload.offload.adapt;

import java.util.List;

/** One run of the adapter over one object. */
final class AdaptRun {
    private final byte[] elf;
    private final String objectName;
    private final AdaptOptions options;

    AdaptRun(byte[] elf, String objectName, AdaptOptions options) {
        this.elf = elf;
        this.objectName = objectName;
        this.options = options;
    }

    Adaptation run() {
        dev.nicoffload.offload.spec.ObjectSpec.parse(elf);
        return new Adaptation(elf.clone(), new AdaptationReport(List.of(), List.of(), List.of()));
    }
}

package dev.nicoffload.offload.load;

import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.Adaptation;
import dev.nicoffload.offload.adapt.Adapter;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.error.NotSupportedException;

/** The load option {@link LoadOptions#adapting(AdaptOptions)}: adapts the bytes before the load path sees them. */
final class AdaptStep {
    private static final int EOPNOTSUPP = 95;

    private AdaptStep() {
    }

    static Adaptation adapt(byte[] elf, String objectName, AdaptOptions options) {
        Adaptation a = Adapter.adapt(elf, objectName, options);
        if (!a.adaptable()) {
            throw new NotSupportedException(new Failure("adapt BPF object '" + objectName + "' for offload", EOPNOTSUPP, null,
                    a.report().render()));
        }
        return a;
    }
}

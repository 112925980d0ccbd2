package dev.nicoffload.offload.error;

import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.ObjectLoader;

import java.nio.file.Path;

/** Run without capabilities by {@link PermissionDeniedTest}: prints what each refused operation reports. */
public final class PermissionProbe {

    private PermissionProbe() {
    }

    /** args[0]: a BPF object to load. */
    public static void main(String[] args) {
        try {
            Inventory.programs();
            System.out.println("list: allowed");
        } catch (PermissionDeniedException e) {
            System.out.println("list: " + e.errnoName() + " needs " + e.capability());
        }
        try {
            ObjectLoader.load(Path.of(args[0]), LoadOptions.host()).close();
            System.out.println("load: allowed");
        } catch (PermissionDeniedException e) {
            System.out.println("load: " + e.errnoName() + " needs " + e.capability());
        }
    }
}

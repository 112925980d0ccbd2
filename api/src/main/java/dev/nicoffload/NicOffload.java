package dev.nicoffload;

import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.Adaptation;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where users start: load a BPF object bound to a NIC (or on the host), find devices, list what is
 * loaded.
 * <pre>{@code
 * OffloadDevice eth1 = NicOffload.device("eth1");
 * try (LoadedObject obj = NicOffload.load(Path.of("xdp_pass.o"), LoadOptions.offloadTo(eth1))) {
 *     Program p = obj.program("xdp_pass");
 *     try (XdpAttachment a = p.attachXdp(eth1, XdpMode.HW)) {
 *         ProgramInfo info = p.info();   // id, ifindex, ifname "eth1", ...
 *     }
 * }
 * }</pre>
 */
public final class NicOffload {

    private NicOffload() {
    }

    /**
     * Opens the BPF ELF object at {@code elf} with libbpf and loads it as {@code options} say: for
     * {@link LoadOptions#offloadTo}, every program and HASH/ARRAY map is bound to the device
     * (maps without BTF; PERF_EVENT_ARRAY maps stay on the host); for {@link LoadOptions#host()},
     * nothing is bound.
     *
     * @throws IllegalArgumentException when the object cannot be offloaded as written (program or map types, flags)
     * @throws dev.nicoffload.offload.error.OffloadException when the kernel refuses; see its subtypes
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static LoadedObject load(Path elf, LoadOptions options) {
        return ObjectLoader.load(elf, options);
    }

    /** {@link #load(Path, LoadOptions)} for an object held in memory (copied). */
    public static LoadedObject load(byte[] elf, LoadOptions options) {
        return ObjectLoader.load(elf, options);
    }

    /** {@link #load(Path, LoadOptions)} for an object read from {@code in} to its end (not closed). */
    public static LoadedObject load(InputStream in, LoadOptions options) {
        return ObjectLoader.load(in, options);
    }

    /**
     * Adapts the object at {@code elf} for offload without changing what it does
     * ({@link dev.nicoffload.offload.adapt.Adapter}; the object is named as libbpf names it):
     * per-CPU maps made shared with atomic adds, {@code .rodata} folded, {@code BPF_F_NO_PREALLOC}
     * dropped, and only when allowed LRU→HASH and TC_ACT_OK→TC_ACT_UNSPEC. To adapt while loading,
     * use {@link LoadOptions#adapting(AdaptOptions)}.
     *
     * @throws dev.nicoffload.offload.spec.ObjectFormatException when the file is not a valid BPF object
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static Adaptation adapt(Path elf, AdaptOptions options) {
        try {
            return dev.nicoffload.offload.adapt.AdaptTool.adaptFile(elf, options);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read BPF object " + elf, e);
        }
    }

    /** The network device named {@code name} in the caller's netns ({@link OffloadDevice#byName}). */
    public static OffloadDevice device(String name) {
        return OffloadDevice.byName(name);
    }

    /** The network device with interface index {@code ifindex} in the caller's netns. */
    public static OffloadDevice device(int ifindex) {
        return OffloadDevice.byIndex(ifindex);
    }

    /** Every loaded BPF program except orphaned ones (device removed). */
    public static List<ProgramInfo> programs() {
        return Inventory.programs();
    }

    /** Every loaded BPF map. */
    public static List<MapInfo> maps() {
        return Inventory.maps();
    }
}

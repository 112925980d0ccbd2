package dev.nicoffload.offload.load;

import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.device.OffloadDevice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code NicOffload.load} loads an object: bound to a device ({@link #offloadTo}) or on the
 * host ({@link #host()}, e.g. a "host twin" of an offloaded program that can be test-run).
 * Immutable; the {@code with...} methods return modified copies.
 */
public final class LoadOptions {

    private final OffloadDevice device;
    private final String objectName;
    private final boolean preCheck;
    private final FirmwareCapabilities firmware;
    private final Map<String, BpfMap> reusedMaps;
    private final AdaptOptions adapt;

    private LoadOptions(OffloadDevice device, String objectName, boolean preCheck, FirmwareCapabilities firmware) {
        this(device, objectName, preCheck, firmware, Map.of(), null);
    }

    private LoadOptions(OffloadDevice device, String objectName, boolean preCheck, FirmwareCapabilities firmware,
                        Map<String, BpfMap> reusedMaps, AdaptOptions adapt) {
        this.adapt = adapt;
        this.device = device;
        this.objectName = objectName;
        this.preCheck = preCheck;
        this.firmware = firmware;
        this.reusedMaps = reusedMaps;
    }

    /**
     * Bind every program and every HASH/ARRAY map to {@code device}; PERF_EVENT_ARRAY maps stay on
     * the host. Offloaded maps are created without BTF.
     */
    public static LoadOptions offloadTo(OffloadDevice device) {
        return new LoadOptions(Objects.requireNonNull(device, "device"), null, true, null);
    }

    /** Load programs and maps on the host, bound to no device. */
    public static LoadOptions host() {
        return new LoadOptions(null, null, true, null);
    }

    /** A copy that names the libbpf object {@code name} (default: the file name, or {@code object}). */
    public LoadOptions withObjectName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("object name must not be blank");
        }
        return new LoadOptions(device, name, preCheck, firmware, reusedMaps, adapt);
    }

    /**
     * A copy that skips the NFP pre-checker. By default, when the device is NFP-class
     * ({@code nfp}, {@code nfpsim}), every program is checked before anything is loaded and an
     * {@link dev.nicoffload.offload.error.NfpIncompatibleException} lists all findings.
     */
    public LoadOptions withoutPreCheck() {
        return new LoadOptions(device, objectName, false, firmware, reusedMaps, adapt);
    }

    /**
     * A copy that pre-checks against these firmware capabilities instead of the device's own
     * (read from debugfs on nfpsim; {@link FirmwareCapabilities#agilioCx()} on a real NFP).
     */
    public LoadOptions withFirmware(FirmwareCapabilities capabilities) {
        return new LoadOptions(device, objectName, preCheck, Objects.requireNonNull(capabilities, "capabilities"),
                reusedMaps, adapt);
    }

    /**
     * A copy that first adapts the object with {@link dev.nicoffload.offload.adapt.Adapter} (per-CPU
     * maps made shared with atomic adds, {@code .rodata} folded, ...; see docs/adapting.md) and loads
     * the adapted object. The report is {@link LoadedObject#adaptation()}; an object that cannot be
     * adapted fails with a {@link dev.nicoffload.offload.error.NotSupportedException} listing the reasons.
     */
    public LoadOptions adapting(AdaptOptions adaptOptions) {
        return new LoadOptions(device, objectName, preCheck, firmware, reusedMaps,
                Objects.requireNonNull(adaptOptions, "adaptOptions"));
    }

    /** The adapter options, when {@link #adapting(AdaptOptions)} was asked for. */
    public Optional<AdaptOptions> adaptation() {
        return Optional.ofNullable(adapt);
    }

    /** Whether the NFP pre-checker runs for an NFP-class device. */
    public boolean preCheck() {
        return preCheck;
    }

    /** The firmware capabilities the pre-checker uses, when set explicitly. */
    public Optional<FirmwareCapabilities> firmware() {
        return Optional.ofNullable(firmware);
    }

    /**
     * A copy that makes the object's map {@code mapName} use {@code existing} instead of creating
     * it ({@code bpf_map__reuse_fd}): several programs then share one map. An offloaded map can be
     * shared only by programs bound to the same device (ASIC); the verifier refuses others with
     * {@code offload device mismatch between prog and map}.
     */
    public LoadOptions withMap(String mapName, BpfMap existing) {
        Objects.requireNonNull(existing, "existing");
        if (mapName == null || mapName.isBlank()) {
            throw new IllegalArgumentException("map name must not be blank");
        }
        Map<String, BpfMap> maps = new LinkedHashMap<>(reusedMaps);
        maps.put(mapName, existing);
        return new LoadOptions(device, objectName, preCheck, firmware, Collections.unmodifiableMap(maps), adapt);
    }

    /** Maps of the object to take from existing maps instead of creating them, by map name. */
    public Map<String, BpfMap> reusedMaps() {
        return reusedMaps;
    }

    /** The device programs and maps are bound to; empty for a host load. */
    public Optional<OffloadDevice> device() {
        return Optional.ofNullable(device);
    }

    /** The object name, when one was set. */
    public Optional<String> objectName() {
        return Optional.ofNullable(objectName);
    }

    @Override
    public String toString() {
        return device == null ? "LoadOptions[host]" : "LoadOptions[offloadTo " + device.name() + "]";
    }
}

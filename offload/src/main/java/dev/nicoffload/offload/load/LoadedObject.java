package dev.nicoffload.offload.load;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.internal.NativeHandle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BPF object loaded into the kernel (by {@code NicOffload.load}): its programs and maps by name.
 * Owns the libbpf object; closing it closes every program and map fd of the object. Programs that
 * are still attached or pinned stay alive in the kernel.
 */
public final class LoadedObject implements AutoCloseable {

    private final String name;
    private final OffloadDevice device;
    private final NativeHandle lifetime;
    private final Map<String, Program> programs = new LinkedHashMap<>();
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private dev.nicoffload.offload.adapt.AdaptationReport adaptation;

    LoadedObject(String name, OffloadDevice device, Runnable release) {
        this.name = name;
        this.device = device;
        this.lifetime = new NativeHandle(this, "BPF object '" + name + "'", release);
    }

    NativeHandle lifetime() {
        return lifetime;
    }

    void add(Program p) {
        programs.put(p.name(), p);
    }

    void add(BpfMap m) {
        maps.put(m.name(), m);
    }

    void adaptation(dev.nicoffload.offload.adapt.AdaptationReport report) {
        this.adaptation = report;
    }

    /**
     * What the adapter changed before load, when the object was loaded with
     * {@link LoadOptions#adapting(dev.nicoffload.offload.adapt.AdaptOptions)}: a formerly per-CPU map
     * holds one shared value now, the sum the per-CPU map gave over all CPUs.
     */
    public Optional<dev.nicoffload.offload.adapt.AdaptationReport> adaptation() {
        return Optional.ofNullable(adaptation);
    }

    /** The object's name. */
    public String name() {
        return name;
    }

    /** The device the object was offloaded to; empty for a host load. */
    public Optional<OffloadDevice> device() {
        return Optional.ofNullable(device);
    }

    /**
     * The program named {@code name}.
     *
     * @throws IllegalArgumentException when the object has no such program (the message lists those it has)
     * @throws IllegalStateException    when the object is closed
     */
    public Program program(String name) {
        lifetime.checkOpen();
        Program p = programs.get(name);
        if (p == null) {
            throw new IllegalArgumentException("object '" + this.name + "' has no program '" + name
                    + "'; programs: " + programs.keySet());
        }
        return p;
    }

    /** All programs, in object order. */
    public List<Program> programs() {
        lifetime.checkOpen();
        return Collections.unmodifiableList(new ArrayList<>(programs.values()));
    }

    /**
     * The map named {@code name}.
     *
     * @throws IllegalArgumentException when the object has no such map
     * @throws IllegalStateException    when the object is closed
     */
    public BpfMap map(String name) {
        lifetime.checkOpen();
        BpfMap m = maps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("object '" + this.name + "' has no map '" + name
                    + "'; maps: " + maps.keySet());
        }
        return m;
    }

    /** All maps, in object order (libbpf's internal maps such as {@code .rodata} included). */
    public List<BpfMap> maps() {
        lifetime.checkOpen();
        return Collections.unmodifiableList(new ArrayList<>(maps.values()));
    }

    /** True once closed. */
    public boolean isClosed() {
        return lifetime.isClosed();
    }

    /** Closes the libbpf object and with it every program and map fd; idempotent. */
    @Override
    public void close() {
        lifetime.close();
    }

    @Override
    public String toString() {
        return "LoadedObject[" + name + (device == null ? ", host" : ", offloaded to " + device.name())
                + ", programs " + programs.keySet() + ", maps " + maps.keySet() + "]";
    }
}

package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks, without loading anything, whether programs can be offloaded to an NFP with the given
 * firmware, and says why not in the kernel's words. Pure Java over {@link ObjectSpec}s; thread-safe
 * and reusable.
 *
 * <p>What it checks, in the order the kernel would meet it: creation of the program's maps
 * ({@code nfp_bpf_map_alloc}: type, flags, sizes, element budget), the program type and load flags
 * ({@code bpf_prog_offload_init}), {@code ld_imm64} map references, the driver's verifier hooks over a
 * path-sensitive analysis of the instructions ({@code nfp_verify_insn}, {@code nfp_bpf_finalize}), the
 * JIT ({@code BPF_ST}, context fields, program length) and the device load (packet split boundary).
 * Like the kernel, it reports only the first refusal the driver writes into the verifier log.
 *
 * <pre>{@code
 * CheckReport r = new NfpPreChecker(FirmwareCapabilities.agilioCx()).check(spec, spec.programs().get(0));
 * r.findings().forEach(f -> System.out.println(f.render()));
 * }</pre>
 */
public final class NfpPreChecker {
    /** The default device MTU assumed for the packet split check (Ethernet default). */
    public static final int DEFAULT_MTU = 1500;
    private static final int TYPE_MASK_OFFLOADABLE = (1 << MapType.HASH.value()) | (1 << MapType.ARRAY.value());

    private final FirmwareCapabilities caps;
    private final int deviceMtu;

    /** @param caps the firmware profile to check against */
    public NfpPreChecker(FirmwareCapabilities caps) {
        this(caps, DEFAULT_MTU);
    }

    private NfpPreChecker(FirmwareCapabilities caps, int deviceMtu) {
        this.caps = Objects.requireNonNull(caps, "caps");
        if (deviceMtu <= 0) throw new IllegalArgumentException("MTU must be positive: " + deviceMtu);
        this.deviceMtu = deviceMtu;
    }

    /**
     * @param mtu the MTU of the target netdev (the packet split check uses {@code min(max packet offset, MTU)})
     * @return a checker for a device with that MTU
     */
    public NfpPreChecker withDeviceMtu(int mtu) {
        return new NfpPreChecker(caps, mtu);
    }

    /** @return the firmware profile this checker uses */
    public FirmwareCapabilities capabilities() {
        return caps;
    }

    /**
     * Checks every program of an object.
     *
     * @param object the object
     * @return one report per program, in the object's order
     */
    public List<CheckReport> check(ObjectSpec object) {
        List<CheckReport> out = new ArrayList<>();
        for (ProgramSpec p : object.programs()) out.add(check(object, p));
        return out;
    }

    /**
     * Checks one program of an object against the maps it uses.
     *
     * @param object  the object holding the maps
     * @param program one of its programs
     * @return the report
     */
    public CheckReport check(ObjectSpec object, ProgramSpec program) {
        return check(program, object.mapsUsedBy(program), object.maps());
    }

    /**
     * Checks a program against the given maps (those its {@code ld_imm64} instructions reference by name).
     *
     * @param program the program
     * @param maps    the maps it uses
     * @return the report
     */
    public CheckReport check(ProgramSpec program, Collection<MapSpec> maps) {
        List<MapSpec> used = usedMaps(program, byName(maps));
        return check(program, maps, maps.stream().filter(used::contains).toList());
    }

    /**
     * @param maps    the maps the program uses
     * @param created the maps the loader creates before loading the program, in its order (libbpf:
     *                the object's BTF and legacy maps, then its global data sections)
     */
    private CheckReport check(ProgramSpec program, Collection<MapSpec> maps, Collection<MapSpec> created) {
        Map<String, MapSpec> byName = byName(maps);
        List<Finding> findings = new ArrayList<>();
        java.util.Set<String> refused = checkMaps(created, byName.keySet(), findings);
        boolean typeOk = program.type() == ProgramType.XDP || program.type() == ProgramType.SCHED_CLS;
        if (!typeOk) {
            findings.add(ours(Rule.PROGRAM_TYPE, -1, Errno.EINVAL, "program type " + program.type() + " (" + program.type().value()
                    + ", section \"" + program.sectionName() + "\") cannot be offloaded; only XDP and SCHED_CLS (tc) programs can"));
        }
        if (program.flags() != 0) {
            findings.add(ours(Rule.PROGRAM_FLAGS, -1, Errno.EINVAL, "prog_flags 0x" + Integer.toHexString(program.flags())
                    + " must be 0 for an offloaded program" + ((program.flags() & ProgramSpec.F_XDP_HAS_FRAGS) != 0
                    ? " (section \"" + program.sectionName() + "\" asks for BPF_F_XDP_HAS_FRAGS; use SEC(\"xdp\"))" : "")));
        }
        checkLdImm64(program, byName, refused, findings);
        if (!typeOk) return new CheckReport(program.name(), findings, null, -1);

        Analyzer a = new Analyzer(program, byName, caps);
        a.run();
        findings.addAll(a.findings);
        SizeEstimate size = null;
        if (!a.fatal() && !a.incomplete) {
            size = SizeEstimator.estimate(a, program.type(), caps.maxProgramLength());
            if (size.exceedsLimit()) {
                findings.add(ours(Rule.PROGRAM_LENGTH, -1, Errno.EINVAL, "estimated " + size.minimum() + ".." + size.maximum()
                        + " NFP instructions exceed the firmware limit of " + caps.maxProgramLength()
                        + "; the JIT stops (dmesg only: \"NFP net bpf: instruction limit reached (" + caps.maxProgramLength()
                        + " NFP instructions)\") and the load fails with EINVAL"));
            } else if (size.mayExceedLimit()) {
                findings.add(new Finding(Finding.Source.CHECKER, Finding.Severity.WARNING, Rule.PROGRAM_LENGTH,
                        "estimated " + size.minimum() + ".." + size.maximum() + " NFP instructions may exceed the firmware limit of "
                                + caps.maxProgramLength(), -1, Errno.EINVAL));
            }
            long pktOff = Math.min(a.maxPacketOffset, deviceMtu);
            if (a.maxPacketOffset > 0 && caps.packetSplitBoundary() < pktOff) {
                findings.add(new Finding(Finding.Source.EXTACK, Finding.Severity.ERROR, Rule.PACKET_SPLIT,
                        "BPF offload not supported with potential packet access beyond HW packet split boundary", -1, Errno.EOPNOTSUPP));
            }
        }
        return new CheckReport(program.name(), findings, size, a.fatal() ? -1 : a.stackUsage(), a.processed);
    }

    private static Finding ours(Rule rule, int insn, Errno errno, String text) {
        return new Finding(Finding.Source.CHECKER, Finding.Severity.ERROR, rule, text, insn, errno);
    }

    /** The map creation checks ({@code bpf_map_offload_map_alloc}, {@code nfp_bpf_map_alloc}). */
    private static Map<String, MapSpec> byName(Collection<MapSpec> maps) {
        Map<String, MapSpec> byName = new LinkedHashMap<>();
        for (MapSpec m : maps) byName.put(m.name(), m);
        return byName;
    }

    /**
     * The map creation checks ({@code bpf_map_offload_map_alloc}, {@code nfp_bpf_map_alloc}) over the
     * maps in the order the loader creates them, all bound to the device as bpftool and nicoffload
     * bind them (global data maps too, with the flags libbpf gives them); the kernel stops at the
     * first refusal, which is therefore the first finding.
     *
     * @return the names of the refused maps
     */
    private java.util.Set<String> checkMaps(Collection<MapSpec> created, java.util.Set<String> used, List<Finding> out) {
        java.util.Set<String> refused = new java.util.HashSet<>();
        int count = 0;
        long elements = 0;
        for (MapSpec m : created) {
            String what = "map '" + m.name() + "'" + (used.contains(m.name()) ? "" : " (not used by this program; loading the object creates it)") + ": ";
            if (m.globalData() && m.valueSize() == 0) continue; // libbpf skips empty sections
            if (m.type() == MapType.PERF_EVENT_ARRAY) continue; // stays on the host, offload-neutral
            int before = out.size();
            count += checkMap(m, what, count, elements, out);
            if (out.size() > before) {
                refused.add(m.name());
                continue;
            }
            elements += m.maxEntries();
        }
        return refused;
    }

    /** @return 1 when the map would be created, 0 when a finding was added */
    private int checkMap(MapSpec m, String what, int count, long elements, List<Finding> out) {
        if (((1 << m.type().value()) & TYPE_MASK_OFFLOADABLE) == 0) {
            out.add(ours(Rule.MAP, -1, Errno.EINVAL, what + "type " + m.type() + " cannot be offloaded; only HASH and ARRAY maps "
                    + "can be bound to the device (PERF_EVENT_ARRAY stays on the host): created bound, it fails with EINVAL and no "
                    + "dmesg line; left on the host, the verifier refuses the program with \"offload device mismatch between prog and map\""));
            return 0;
        }
        if (m.flags() != 0 || m.numaNode() >= 0) {
            out.add(dmesg(what, "map flags are not supported", Errno.EINVAL,
                    " (map_flags 0x" + Integer.toHexString(m.flags()) + flagNames(m) + (m.numaNode() >= 0 ? ", numa_node " + m.numaNode() : "") + ")"));
            return 0;
        }
        if (((1 << m.type().value()) & caps.mapTypes()) == 0) {
            out.add(dmesg(what, "map type not supported", Errno.EOPNOTSUPP, ""));
            return 0;
        }
        if (count == caps.maxMaps()) {
            out.add(dmesg(what, "too many maps for a device", Errno.ENOMEM, ""));
            return 0;
        }
        long left = caps.maxElements() - elements;
        if (m.maxEntries() > left) {
            out.add(dmesg(what, "map with too many elements: " + m.maxEntries() + ", left: " + left, Errno.ENOMEM, ""));
            return 0;
        }
        int elem = roundUp8(m.keySize()) + roundUp8(m.valueSize());
        if (elem > caps.maxElementSize()) {
            out.add(dmesg(what, "map elements too large: " + elem + ", FW max element size (key+value): " + caps.maxElementSize(), Errno.ENOMEM, ""));
            return 0;
        }
        if (m.keySize() > caps.maxKeySize()) {
            out.add(dmesg(what, "map key size " + m.keySize() + ", FW max is " + caps.maxKeySize(), Errno.ENOMEM, ""));
            return 0;
        }
        if (m.valueSize() > caps.maxValueSize()) {
            out.add(dmesg(what, "map value size " + m.valueSize() + ", FW max is " + caps.maxValueSize(), Errno.ENOMEM, ""));
            return 0;
        }
        return 1;
    }

    /** For a global data map: which flags libbpf set and why. */
    private static String flagNames(MapSpec m) {
        if (!m.globalData()) return "";
        List<String> names = new ArrayList<>();
        if ((m.flags() & 1) != 0) names.add("BPF_F_NO_PREALLOC");
        if ((m.flags() & MapSpec.F_RDONLY_PROG) != 0) names.add("BPF_F_RDONLY_PROG");
        if ((m.flags() & MapSpec.F_MMAPABLE) != 0) names.add("BPF_F_MMAPABLE");
        if (names.isEmpty()) return "";
        String why = (m.flags() & MapSpec.F_RDONLY_PROG) != 0 ? ", set by libbpf on read-only global data"
                : ", set by libbpf because the section has a non-static global variable";
        return ": " + String.join(" | ", names) + why;
    }

    private static Finding dmesg(String what, String kernelText, Errno errno, String detail) {
        return ours(Rule.MAP, -1, errno, what + kernelText + detail + "; map creation fails with " + errno
                + " and only dmesg says \"NFP net bpf: " + kernelText + "\"");
    }

    private static int roundUp8(int v) {
        return (v + 7) & ~7;
    }

    private static List<MapSpec> usedMaps(ProgramSpec program, Map<String, MapSpec> maps) {
        List<MapSpec> out = new ArrayList<>();
        for (Instruction i : program.instructions()) {
            if (!i.isLdImm64() || i.reference() == null) continue;
            MapSpec m = maps.get(i.reference());
            if (m != null && !out.contains(m)) out.add(m);
        }
        return out;
    }

    private static void checkLdImm64(ProgramSpec program, Map<String, MapSpec> maps, java.util.Set<String> refusedMaps, List<Finding> out) {
        int slot = 0;
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (Instruction i : program.instructions()) {
            if (i.isLdImm64()) {
                switch (i.src()) {
                    case Instruction.PSEUDO_MAP_VALUE, Instruction.PSEUDO_MAP_IDX_VALUE -> {
                        if (refusedMaps.contains(String.valueOf(i.reference()))) break; // its creation already failed
                        if (reported.add(String.valueOf(i.reference()))) out.add(ours(Rule.LD_IMM64, slot, Errno.EINVAL,
                            "global data" + (i.reference() != null ? " (" + i.reference() + ")" : "") + " is not supported: its map is "
                                    + "created on the device, whose maps have no direct value access; the verifier refuses the program with "
                                    + "\"no direct value access support for this map type\""));
                    }
                    case Instruction.PSEUDO_MAP_IDX -> out.add(ours(Rule.LD_IMM64, slot, Errno.EINVAL,
                            "map reference by fd_array index (BPF_PSEUDO_MAP_IDX) is not rewritten by the NFP JIT; use BPF_PSEUDO_MAP_FD"));
                    case Instruction.PSEUDO_MAP_FD -> {
                        if (i.reference() != null && !maps.containsKey(i.reference())) {
                            out.add(ours(Rule.LD_IMM64, slot, Errno.EINVAL, "reference to unknown map '" + i.reference() + "'"));
                        }
                    }
                    case Instruction.PSEUDO_FUNC -> out.add(ours(Rule.CALL, slot, Errno.EOPNOTSUPP,
                            "callback function pointers (BPF_PSEUDO_FUNC) are not supported: the helpers that take them are not offloadable"));
                    default -> { }
                }
            }
            slot += i.slots();
        }
    }
}

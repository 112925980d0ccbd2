package dev.nicoffload.offload.load;

import dev.nicoffload.ffm.bpf.BpfSyscall;
import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.ffm.libbpf.LibBpfLog;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.libc.SysResult;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.device.DeviceKind;
import dev.nicoffload.offload.event.LoadEvent;
import dev.nicoffload.offload.error.NfpIncompatibleException;
import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.precheck.NfpPreChecker;
import dev.nicoffload.offload.spec.ObjectFormatException;
import dev.nicoffload.offload.spec.ObjectSpec;
import java.nio.file.Files;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.internal.Errors;
import dev.nicoffload.offload.internal.Fds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a BPF ELF object with libbpf and loads it, bound to a device or on the host; the engine
 * behind {@code NicOffload.load}. For an offload target every program gets the device's ifindex,
 * HASH and ARRAY maps are created on the device without BTF and handed to libbpf, and
 * PERF_EVENT_ARRAY maps stay on the host.
 */
public final class ObjectLoader {

    private static final System.Logger LOG = System.getLogger("dev.nicoffload.offload.load");
    private static final int ELF_MAGIC = 0x464c457f;
    private static final Pattern LOAD_LOG = Pattern.compile(
            "prog '([^']*)': -- BEGIN PROG LOAD LOG --\n(.*?)-- END PROG LOAD LOG --", Pattern.DOTALL);
    private static final Pattern FAILED_PROG = Pattern.compile("prog '([^']*)': failed to load");

    private ObjectLoader() {
    }

    /** Loads the object in file {@code elf}. */
    public static LoadedObject load(Path elf, LoadOptions options) {
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(options, "options");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(elf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BPF object " + elf, e);
        }
        String base = elf.getFileName() == null ? "object" : elf.getFileName().toString();
        return load(bytes, options.objectName().orElse(base.endsWith(".o") ? base.substring(0, base.length() - 2) : base), options);
    }

    /** Loads the object read from {@code in} (read to its end, not closed). */
    public static LoadedObject load(InputStream in, LoadOptions options) {
        Objects.requireNonNull(in, "in");
        try {
            return load(in.readAllBytes(), options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BPF object", e);
        }
    }

    /** Loads the object in {@code elf} (the bytes are copied). */
    public static LoadedObject load(byte[] elf, LoadOptions options) {
        Objects.requireNonNull(options, "options");
        return load(elf, options.objectName().orElse("object"), options);
    }

    private static LoadedObject load(byte[] elf, String objectName, LoadOptions options) {
        LoadEvent event = new LoadEvent();
        event.object = objectName;
        event.device = options.device().map(OffloadDevice::name).orElse("");
        event.mode = options.device().isPresent() ? "offload" : "host";
        return event.run(LOG, "load '" + objectName + "' " + (event.device.isEmpty() ? "on the host" : "to " + event.device), () -> {
            LoadedObject loaded = loadObject(elf, objectName, options);
            event.programs = loaded.programs().size();
            event.maps = loaded.maps().size();
            return loaded;
        });
    }

    private static LoadedObject loadObject(byte[] elf, String objectName, LoadOptions options) {
        Objects.requireNonNull(elf, "elf");
        if (elf.length < 64 || (elf[0] & 0xff | (elf[1] & 0xff) << 8 | (elf[2] & 0xff) << 16 | (elf[3] & 0xff) << 24) != ELF_MAGIC) {
            throw new IllegalArgumentException("not an ELF object (" + elf.length + " bytes, no ELF magic)");
        }
        // libbpf 1.1 trusts section, symbol and BTF offsets it reads from the file: a corrupt object
        // can crash the JVM inside bpf_object__open_mem, so the structure is checked here first
        ObjectSpec.checkStructure(elf);
        dev.nicoffload.offload.adapt.Adaptation adapted = options.adaptation().isPresent()
                ? AdaptStep.adapt(elf, objectName, options.adaptation().get()) : null;
        if (adapted != null) elf = adapted.output().orElseThrow();
        OffloadDevice device = options.device().orElse(null);
        if (device != null && options.preCheck() && device.kind().isNfpClass()) {
            preCheck(elf, objectName, device, options);
        }
        LibBpf.ensureLoaded();
        try (LibBpfLog.Collector log = LibBpfLog.collect(); Arena image = Arena.ofConfined()) {
            MemorySegment buf = image.allocate(elf.length, 8);
            buf.copyFrom(MemorySegment.ofArray(elf));
            LibBpf.OpenResult opened = LibBpf.openMem(buf, objectName);
            if (opened.object().equals(MemorySegment.NULL)) {
                String why = warnings(log).strip();
                throw Errors.of(Failure.of("open BPF object '" + objectName + "'"
                        + (why.isEmpty() ? "" : " (libbpf: " + why + ")"), opened.errno()), Errors.CAP_LOAD);
            }
            MemorySegment obj = opened.object();
            boolean ok = false;
            LoadedObject loaded = null;
            try {
                List<MemorySegment> progs = programs(obj);
                List<MemorySegment> maps = maps(obj);
                List<String> mapNames = maps.stream().map(LibBpf::mapName).toList(); // reuse renames a map
                if (device != null) {
                    bindPrograms(progs, device);
                    createOffloadedMaps(maps, device, options.reusedMaps().keySet());
                }
                reuseMaps(maps, mapNames, options.reusedMaps());
                int rc = LibBpf.objectLoad(obj);
                if (rc < 0) {
                    throw loadFailure(objectName, device, -rc, log.text());
                }
                loaded = new LoadedObject(objectName, device, () -> LibBpf.objectClose(obj));
                if (adapted != null) loaded.adaptation(adapted.report());
                for (MemorySegment p : progs) {
                    loaded.add(new Program(LibBpf.programName(p), ProgramType.of(LibBpf.programType(p)), device,
                            LibBpf.programFd(p), loaded));
                }
                for (int i = 0; i < maps.size(); i++) {
                    MemorySegment m = maps.get(i);
                    MapType type = MapType.of(LibBpf.mapType(m));
                    loaded.add(new BpfMap(mapNames.get(i), type, LibBpf.mapKeySize(m), LibBpf.mapValueSize(m),
                            LibBpf.mapMaxEntries(m), LibBpf.mapFlags(m), offloadedType(type) ? device : null,
                            LibBpf.mapFd(m), loaded));
                }
                ok = true;
                return loaded;
            } finally {
                if (!ok) {
                    if (loaded != null) {
                        loaded.close(); // its handle owns the libbpf object now: close exactly once
                    } else {
                        LibBpf.objectClose(obj);
                    }
                }
            }
        }
    }

    /**
     * Runs the NFP pre-checker on every program before anything reaches the kernel, against the
     * firmware capabilities given in the options, else nfpsim's debugfs profile or the Agilio CX
     * profile. An object our ELF reader cannot parse is left to libbpf and the kernel to judge.
     */
    private static void preCheck(byte[] elf, String objectName, OffloadDevice device, LoadOptions options) {
        ObjectSpec spec;
        try {
            spec = ObjectSpec.parse(elf);
        } catch (ObjectFormatException unreadable) {
            LOG.log(System.Logger.Level.WARNING, "NFP pre-check skipped for ''{0}'': {1}", objectName, unreadable.getMessage());
            return;
        }
        FirmwareCapabilities caps = options.firmware().orElseGet(() -> device.kind() == DeviceKind.NFPSIM
                && Files.isDirectory(FirmwareCapabilities.NFPSIM_DEBUGFS)
                ? FirmwareCapabilities.fromNfpsimDebugfs(FirmwareCapabilities.NFPSIM_DEBUGFS) : FirmwareCapabilities.agilioCx());
        List<CheckReport> reports = new NfpPreChecker(caps).check(spec);
        if (reports.stream().anyMatch(r -> !r.offloadable())) {
            throw new NfpIncompatibleException("load '" + objectName + "' bound to " + device.name(), reports);
        }
    }

    private static List<MemorySegment> programs(MemorySegment obj) {
        List<MemorySegment> out = new ArrayList<>();
        for (MemorySegment p = LibBpf.nextProgram(obj, MemorySegment.NULL); !p.equals(MemorySegment.NULL);
             p = LibBpf.nextProgram(obj, p)) {
            out.add(p);
        }
        return out;
    }

    private static List<MemorySegment> maps(MemorySegment obj) {
        List<MemorySegment> out = new ArrayList<>();
        for (MemorySegment m = LibBpf.nextMap(obj, MemorySegment.NULL); !m.equals(MemorySegment.NULL);
             m = LibBpf.nextMap(obj, m)) {
            out.add(m);
        }
        return out;
    }

    private static boolean offloadedType(MapType type) {
        return type == MapType.HASH || type == MapType.ARRAY;
    }

    private static void bindPrograms(List<MemorySegment> progs, OffloadDevice device) {
        for (MemorySegment p : progs) {
            String name = LibBpf.programName(p);
            ProgramType type = ProgramType.of(LibBpf.programType(p));
            if (type != ProgramType.XDP && type != ProgramType.SCHED_CLS) {
                throw new IllegalArgumentException("program '" + name + "' (section " + LibBpf.programSection(p)
                        + ") has type " + type + ": only XDP and SCHED_CLS programs can be offloaded");
            }
            String section = LibBpf.programSection(p);
            // libbpf adds BPF_F_XDP_HAS_FRAGS (0x20) for xdp.frags sections only at load time
            int flags = LibBpf.programFlags(p) | (section != null && section.startsWith("xdp.frags") ? 0x20 : 0);
            if (flags != 0) {
                throw new IllegalArgumentException("program '" + name + "' has prog_flags 0x" + Integer.toHexString(flags)
                        + " (section " + section + "): offloaded programs must be loaded with none");
            }
            LibBpf.programSetIfindex(p, device.ifindex());
        }
    }

    /** Hands libbpf the fds of existing maps the options name, so it does not create those. */
    private static void reuseMaps(List<MemorySegment> maps, List<String> names, java.util.Map<String, BpfMap> reused) {
        java.util.Set<String> missing = new java.util.TreeSet<>(reused.keySet());
        names.forEach(missing::remove);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("maps to reuse " + missing + " are not in the object; its maps: " + names);
        }
        for (int i = 0; i < maps.size(); i++) {
            BpfMap existing = reused.get(names.get(i));
            if (existing != null) {
                int rc = LibBpf.mapReuseFd(maps.get(i), existing.fd());
                if (rc < 0) {
                    throw Errors.of("reuse " + existing + " as map '" + names.get(i) + "'", -rc);
                }
            }
        }
    }

    /** Creates every HASH/ARRAY map on the device (no BTF) and hands the fd to libbpf; {@code reused} are skipped. */
    private static void createOffloadedMaps(List<MemorySegment> maps, OffloadDevice device, java.util.Set<String> reused) {
        // check every map before creating any
        for (MemorySegment m : maps) {
            String name = LibBpf.mapName(m);
            MapType type = MapType.of(LibBpf.mapType(m));
            if (name.startsWith(".") || name.contains(".rodata") || name.contains(".data") || name.contains(".bss")
                    || name.contains(".kconfig")) {
                throw new IllegalArgumentException("map '" + name + "' holds global data: offloaded programs cannot use "
                        + "global variables (no direct value access on offloaded maps)");
            }
            if (!offloadedType(type) && type != MapType.PERF_EVENT_ARRAY) {
                throw new IllegalArgumentException("map '" + name + "' has type " + type
                        + ": only HASH and ARRAY maps can be offloaded (PERF_EVENT_ARRAY stays on the host)");
            }
        }
        for (MemorySegment m : maps) {
            MapType type = MapType.of(LibBpf.mapType(m));
            String name = LibBpf.mapName(m);
            if (!offloadedType(type) || reused.contains(name)) {
                continue; // PERF_EVENT_ARRAY: offload-neutral host map, libbpf creates it; reused: exists
            }
            SysResult r = BpfSyscall.mapCreate(type.value(), name, LibBpf.mapKeySize(m), LibBpf.mapValueSize(m),
                    LibBpf.mapMaxEntries(m), LibBpf.mapFlags(m), device.ifindex());
            String op = "create map '" + name + "' on " + device.name();
            if (r.failed()) {
                throw deviceFailure(Failure.of(op, r.errno()), device, Errors.CAP_SYS_ADMIN);
            }
            int fd = r.intValue();
            try {
                int rc = LibBpf.mapReuseFd(m, fd);
                if (rc < 0) {
                    throw Errors.of(op + " (hand to libbpf)", -rc);
                }
            } finally {
                Fds.closeQuietly(fd); // libbpf keeps its own duplicate
            }
        }
    }

    private static OffloadException loadFailure(String objectName, OffloadDevice device, int errno, String libbpfLog) {
        String program = null;
        String verifierLog = null;
        Matcher logBlock = LOAD_LOG.matcher(libbpfLog);
        if (logBlock.find()) {
            program = logBlock.group(1);
            verifierLog = logBlock.group(2);
        } else {
            Matcher failed = FAILED_PROG.matcher(libbpfLog);
            if (failed.find()) {
                program = failed.group(1);
            }
        }
        String op = (program == null ? "load object '" + objectName + "'" : "load program '" + program + "'")
                + (device == null ? "" : " bound to " + device.name());
        Failure f = new Failure(op, errno, null, verifierLog);
        if (!Errors.hasFindings(f.verifierLog()) && device != null) {
            return deviceFailure(f, device, Errors.CAP_LOAD);
        }
        return Errors.load(op, errno, verifierLog);
    }

    /**
     * A failure of a bound operation with no verifier log: when the kernel refused with EOPNOTSUPP or
     * EINVAL and the offload probe fails too, the device cannot take bound programs at all.
     */
    private static OffloadException deviceFailure(Failure f, OffloadDevice device, String capability) {
        if ((f.errno() == Errno.EOPNOTSUPP || f.errno() == Errno.EINVAL) && !device.canOffload()) {
            return Errors.notCapable(f.operation(), f.errno(), device.name());
        }
        return f.errno() == Errno.EPERM ? Errors.of(f, capability) : Errors.load(f.operation(), f.errno(), f.verifierLog());
    }

    private static String warnings(LibBpfLog.Collector log) {
        StringBuilder sb = new StringBuilder();
        for (LibBpfLog.Line l : log.lines()) {
            if (l.level() == LibBpfLog.Level.WARN) {
                sb.append(l.text());
            }
        }
        return sb.toString();
    }
}

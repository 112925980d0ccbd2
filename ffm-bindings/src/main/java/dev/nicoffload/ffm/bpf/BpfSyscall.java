package dev.nicoffload.ffm.bpf;

import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.libc.SysResult;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static dev.nicoffload.ffm.bpf.BpfLayouts.ATTR_MAP_CREATE;
import static dev.nicoffload.ffm.bpf.BpfLayouts.ATTR_PROG_LOAD;
import static dev.nicoffload.ffm.bpf.BpfLayouts.setInt;
import static dev.nicoffload.ffm.bpf.BpfLayouts.setLong;

/**
 * bpf(2) commands issued directly (not through libbpf), with errno captured by the downcall: map
 * creation without BTF (what offloaded maps need) and raw program loads (the offload probe).
 */
public final class BpfSyscall {

    /** {@code BPF_MAP_CREATE}. */
    public static final int BPF_MAP_CREATE = 0;
    /** {@code BPF_PROG_LOAD}. */
    public static final int BPF_PROG_LOAD = 5;

    private BpfSyscall() {
    }

    /**
     * {@code BPF_MAP_CREATE} with no BTF: the way offloaded maps must be created.
     *
     * @return the new fd, or a failed result with errno
     */
    public static SysResult mapCreate(int type, String name, int keySize, int valueSize, int maxEntries,
                                      int flags, int ifindex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR_SIZE, 8);
            setInt(attr, ATTR_MAP_CREATE, "map_type", type);
            setInt(attr, ATTR_MAP_CREATE, "key_size", keySize);
            setInt(attr, ATTR_MAP_CREATE, "value_size", valueSize);
            setInt(attr, ATTR_MAP_CREATE, "max_entries", maxEntries);
            setInt(attr, ATTR_MAP_CREATE, "map_flags", flags);
            setInt(attr, ATTR_MAP_CREATE, "map_ifindex", ifindex);
            writeName(attr, BpfLayouts.offset(ATTR_MAP_CREATE, "map_name"), name);
            return LibC.bpf(BPF_MAP_CREATE, attr);
        }
    }

    /**
     * {@code BPF_PROG_LOAD} of raw instructions (8 bytes each, little-endian), optionally bound to
     * {@code ifindex}, with a verifier log of {@code logSize} bytes at level 1 when {@code logSize > 0}.
     *
     * @return the fd or a failed result with errno, and the verifier log text
     */
    public static ProgLoadResult progLoad(int type, byte[] insns, String license, int ifindex, int logSize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(BpfLayouts.BPF_ATTR_SIZE, 8);
            MemorySegment code = arena.allocate(insns.length, 8);
            code.copyFrom(MemorySegment.ofArray(insns));
            MemorySegment lic = arena.allocateFrom(license);
            MemorySegment log = logSize > 0 ? arena.allocate(logSize) : MemorySegment.NULL;
            setInt(attr, ATTR_PROG_LOAD, "prog_type", type);
            setInt(attr, ATTR_PROG_LOAD, "insn_cnt", insns.length / 8);
            setLong(attr, ATTR_PROG_LOAD, "insns", code.address());
            setLong(attr, ATTR_PROG_LOAD, "license", lic.address());
            if (logSize > 0) {
                setInt(attr, ATTR_PROG_LOAD, "log_level", 1);
                setInt(attr, ATTR_PROG_LOAD, "log_size", logSize);
                setLong(attr, ATTR_PROG_LOAD, "log_buf", log.address());
            }
            setInt(attr, ATTR_PROG_LOAD, "prog_ifindex", ifindex);
            SysResult r = LibC.bpf(BPF_PROG_LOAD, attr);
            String text = logSize > 0 ? log.getString(0) : "";
            return new ProgLoadResult(r, text);
        }
    }

    /**
     * Outcome of {@link #progLoad}.
     *
     * @param result      fd or failure with errno
     * @param verifierLog the verifier log (empty when none was requested)
     */
    public record ProgLoadResult(SysResult result, String verifierLog) {
    }

    private static void writeName(MemorySegment attr, long offset, String name) {
        if (name == null) {
            return;
        }
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(b.length, 15); // BPF_OBJ_NAME_LEN - 1, NUL-terminated
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            boolean ok = Character.isLetterOrDigit(c) || c == '_' || c == '.';
            attr.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + i, ok ? c : (byte) '_');
        }
    }
}

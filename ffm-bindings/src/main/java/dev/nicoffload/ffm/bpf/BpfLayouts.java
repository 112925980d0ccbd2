package dev.nicoffload.ffm.bpf;

import me.bechberger.ebpf.bpf.raw.bpf_map_info;
import me.bechberger.ebpf.bpf.raw.bpf_object_open_opts;
import me.bechberger.ebpf.bpf.raw.bpf_prog_info;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Struct layouts of the bpf uapi and libbpf 1.1.2 structs nicoffload reads or writes, each checked
 * against the installed C headers by {@code StructLayoutsMatchCHeadersTest}. Where rawbpf's jextract
 * layout matches libbpf 1.1.2 it is reused; where it does not ({@code bpf_xdp_query_opts} grew in
 * later libbpf) or where the struct is a slice of {@code union bpf_attr}, the layout is declared here.
 */
public final class BpfLayouts {

    /** {@code struct bpf_prog_info} (232 bytes with 6.1 uapi), rawbpf's layout. */
    public static final GroupLayout PROG_INFO = bpf_prog_info.layout();
    /** {@code struct bpf_map_info} (88 bytes), rawbpf's layout. */
    public static final GroupLayout MAP_INFO = bpf_map_info.layout();
    /** libbpf's {@code struct bpf_object_open_opts} (80 bytes in 1.1.2), rawbpf's layout. */
    public static final GroupLayout OBJECT_OPEN_OPTS = bpf_object_open_opts.layout();

    /**
     * libbpf 1.1.2's {@code struct bpf_xdp_query_opts}: 32 bytes. rawbpf's layout is 48 (later
     * libbpf added {@code feature_flags}, {@code xdp_zc_max_segs}); {@code sz} must say 32 here.
     */
    public static final StructLayout XDP_QUERY_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_INT.withName("prog_id"),
            JAVA_INT.withName("drv_prog_id"),
            JAVA_INT.withName("hw_prog_id"),
            JAVA_INT.withName("skb_prog_id"),
            JAVA_BYTE.withName("attach_mode"),
            MemoryLayout.paddingLayout(7));

    /** {@code sizeof(union bpf_attr)} in the 6.1 uapi. */
    public static final long BPF_ATTR_SIZE = 144;

    /** The {@code BPF_MAP_CREATE} member of {@code union bpf_attr}, up to {@code map_extra}. */
    public static final StructLayout ATTR_MAP_CREATE = MemoryLayout.structLayout(
            JAVA_INT.withName("map_type"),
            JAVA_INT.withName("key_size"),
            JAVA_INT.withName("value_size"),
            JAVA_INT.withName("max_entries"),
            JAVA_INT.withName("map_flags"),
            JAVA_INT.withName("inner_map_fd"),
            JAVA_INT.withName("numa_node"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("map_name"),
            JAVA_INT.withName("map_ifindex"),
            JAVA_INT.withName("btf_fd"),
            JAVA_INT.withName("btf_key_type_id"),
            JAVA_INT.withName("btf_value_type_id"),
            JAVA_INT.withName("btf_vmlinux_value_type_id"),
            JAVA_LONG.withName("map_extra"));

    /** The {@code BPF_PROG_LOAD} member of {@code union bpf_attr}, up to {@code expected_attach_type}. */
    public static final StructLayout ATTR_PROG_LOAD = MemoryLayout.structLayout(
            JAVA_INT.withName("prog_type"),
            JAVA_INT.withName("insn_cnt"),
            JAVA_LONG.withName("insns"),
            JAVA_LONG.withName("license"),
            JAVA_INT.withName("log_level"),
            JAVA_INT.withName("log_size"),
            JAVA_LONG.withName("log_buf"),
            JAVA_INT.withName("kern_version"),
            JAVA_INT.withName("prog_flags"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("prog_name"),
            JAVA_INT.withName("prog_ifindex"),
            JAVA_INT.withName("expected_attach_type"));

    private BpfLayouts() {
    }

    /** Byte offset of a top-level field of a layout. */
    public static long offset(GroupLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** Reads a u32 field (as int) of a struct. */
    public static int getInt(MemorySegment s, GroupLayout layout, String field) {
        return s.get(JAVA_INT, offset(layout, field));
    }

    /** Reads a u64 field of a struct. */
    public static long getLong(MemorySegment s, GroupLayout layout, String field) {
        return s.get(JAVA_LONG, offset(layout, field));
    }

    /** Writes a u32 field of a struct. */
    public static void setInt(MemorySegment s, GroupLayout layout, String field, int value) {
        s.set(JAVA_INT, offset(layout, field), value);
    }

    /** Writes a u64 field of a struct. */
    public static void setLong(MemorySegment s, GroupLayout layout, String field, long value) {
        s.set(JAVA_LONG, offset(layout, field), value);
    }
}

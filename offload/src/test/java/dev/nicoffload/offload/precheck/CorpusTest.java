package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.TestObjects;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One corpus program per rule and message of the NFP offload rules (offload-facts.md §1.3–1.11),
 * with accepted twins. The expected lines were written from the driver source as documented in the
 * facts (message formats, enum numbers, errno), not produced by the checker.
 */
class CorpusTest {

    /** A corpus case: program, firmware profile change, expected rendered lines, first error's errno (null: offloadable). */
    record Case(String program, UnaryOperator<FirmwareCapabilities.Builder> profile, List<String> lines, Errno errno, int mtu) {
    }

    private static final UnaryOperator<FirmwareCapabilities.Builder> DEFAULT = b -> b;

    private static Case refused(String program, Errno errno, String... lines) {
        return new Case(program, DEFAULT, List.of(lines), errno, NfpPreChecker.DEFAULT_MTU);
    }

    private static Case refused(String program, UnaryOperator<FirmwareCapabilities.Builder> profile, Errno errno, String... lines) {
        return new Case(program, profile, List.of(lines), errno, NfpPreChecker.DEFAULT_MTU);
    }

    private static Case accepted(String program, String... warnings) {
        return new Case(program, DEFAULT, List.of(warnings), null, NfpPreChecker.DEFAULT_MTU);
    }

    private static Case accepted(String program, UnaryOperator<FirmwareCapabilities.Builder> profile) {
        return new Case(program, profile, List.of(), null, NfpPreChecker.DEFAULT_MTU);
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // §1.3 opcodes and registers
        c.add(refused("op_mod64", Errno.EINVAL, "[nfp] instruction 0x97 not supported"));
        c.add(refused("op_le16", Errno.EINVAL, "[nfp] instruction 0xd4 not supported"));
        c.add(accepted("op_be16_ok"));
        c.add(refused("op_extreg", Errno.EINVAL, "[nfp] program uses extended registers - jit hardening?"));
        // §1.3 atomics
        c.add(refused("atomic_fetch_add", Errno.EOPNOTSUPP, "[nfp] atomic op not implemented: 1"));
        c.add(refused("atomic_xchg", Errno.EOPNOTSUPP, "[nfp] atomic op not implemented: 225"));
        c.add(refused("atomic_on_stack", Errno.EOPNOTSUPP, "[nfp] atomic add not to a map value pointer: 6"));
        c.add(refused("atomic_of_pointer", Errno.EOPNOTSUPP, "[nfp] atomic add not of a scalar: 2"));
        c.add(accepted("nfpsim_xdp_map"));
        // §1.3 MUL and DIV
        c.add(refused("nfpsim_xdp_div", Errno.EINVAL, "[nfp] multiplier is not within u32 value range"));
        c.add(refused("mul_multiplicand", Errno.EINVAL, "[nfp] multiplicand is not within u32 value range"));
        c.add(refused("mul_negative_imm", Errno.EINVAL, "[nfp] sign extended multiplicand won't be within u32 value range"));
        c.add(accepted("mul_u16_ok"));
        c.add(refused("div_dividend", Errno.EINVAL, "[nfp] dividend is not within u32 value range"));
        c.add(refused("nfpsim_xdp_mod", Errno.EINVAL, "[nfp] divisor is not constant"));
        c.add(refused("div_wide_divisor", Errno.EINVAL, "[nfp] divisor is not within u32 value range"));
        c.add(refused("div_negative", Errno.EINVAL, "[nfp] divide by negative constant is not supported"));
        c.add(accepted("div_const_reg_ok"));
        c.add(accepted("nfpsim_xdp_div32"));
        // §1.4 helpers
        c.add(refused("nfpsim_xdp_ktime", Errno.EOPNOTSUPP, "[nfp] unsupported function id: 5"));
        c.add(refused("helper_adjust_meta", Errno.EOPNOTSUPP, "[nfp] unsupported function id: 54"));
        c.add(refused("helper_key_in_map", Errno.EOPNOTSUPP, "[nfp] map_lookup: unsupported ptr type 4"));
        c.add(refused("helper_key_variable", Errno.EOPNOTSUPP, "[nfp] map_lookup: variable pointer"));
        c.add(refused("helper_key_unaligned", Errno.EOPNOTSUPP, "[nfp] map_lookup: unaligned stack pointer 6"));
        c.add(refused("nfpsim_xdp_map", b -> b.helperMapLookup(0), Errno.EOPNOTSUPP, "[nfp] map_lookup: not supported by FW"));
        c.add(refused("helper_delete_hash_ok", b -> b.helperMapUpdate(0), Errno.EOPNOTSUPP, "[nfp] map_update: not supported by FW"));
        c.add(refused("helper_delete_hash_ok", b -> b.helperMapDelete(0), Errno.EOPNOTSUPP, "[nfp] map_delete: not supported by FW"));
        c.add(accepted("helper_delete_hash_ok"));
        c.add(refused("helper_update_after_atomic", Errno.EOPNOTSUPP, "[nfp] value at offset 0/15 may be non-zero, "
                + "bpf_map_update_elem() is required to initialize atomic counters to zero to avoid offload endian issues"));
        c.add(refused("helper_atomic_after_update", Errno.EOPNOTSUPP,
                "[nfp] atomic counter in map value may already be initialized to non-zero value off: 0"));
        c.add(accepted("helper_zero_update_ok"));
        c.add(accepted("helper_delete_array", "warning: helper: bpf_map_delete_elem() on array map 'arr' always fails (EINVAL) on an offloaded array (insn 6, EINVAL)"));
        c.add(accepted("helper_prandom"));
        c.add(refused("helper_prandom", b -> b.pseudoRandom(false), Errno.EOPNOTSUPP,
                "[nfp] bpf_get_prandom_u32(): FW doesn't support random number generation"));
        c.add(refused("nfpsim_xdp_adjust", b -> b.adjustHead(1, 8, 0, 64, 46), Errno.EOPNOTSUPP, "[nfp] adjust_head not supported by FW"));
        c.add(refused("nfpsim_xdp_adjust", b -> b.adjustHead(0, 8, 248, 64, 46), Errno.EOPNOTSUPP,
                "[nfp] adjust_head: FW requires shifting metadata, not supported by the driver"));
        c.add(refused("nfpsim_xdp_adjust", b -> b.adjustTail(false), Errno.EOPNOTSUPP, "[nfp] adjust_tail not supported by FW"));
        c.add(accepted("nfpsim_xdp_adjust"));
        c.add(accepted("helper_tail_grow", "warning: helper: bpf_xdp_adjust_tail() with a delta that is not negative always fails on the NFP "
                + "(it can only shrink the packet) and returns -EINVAL (insn 1, EINVAL)"));
        String perfWarning = "[nfp] warning: return codes and behavior of event_output helper differ for offload!";
        c.add(accepted("nfpsim_xdp_perf", perfWarning));
        c.add(refused("nfpsim_xdp_perf", b -> b.helperPerfEventOutput(0), Errno.EOPNOTSUPP, "[nfp] event_output: not supported by FW"));
        c.add(refused("perf_flags_zero", Errno.EOPNOTSUPP, "[nfp] event_output: must use BPF_F_CURRENT_CPU, var_off: (0x0; 0x0)"));
        c.add(refused("perf_data_ctx", Errno.EOPNOTSUPP, "[nfp] event_output: unsupported ptr type: 2"));
        // the lookup succeeds on the fall-through path, which the verifier walks first: map value (4), then stack (6)
        c.add(refused("perf_data_changes", Errno.EINVAL, perfWarning, "[nfp] event_output: ptr type changed: 4 6"));
        // §1.5 memory
        c.add(refused("ptr_meta", Errno.EINVAL,
                "context: the NFP JIT cannot read xdp_md field at offset 8 (4 bytes); only 4-byte loads of data (0) and data_end (4) are "
                        + "translated. The load fails with EINVAL and dmesg \"NFP net bpf: Translation failed with error -95\" (insn 2, EINVAL)",
                "[nfp] unsupported ptr type: 7"));
        c.add(refused("ptr_changes", Errno.EINVAL, "[nfp] ptr type changed for instruction 4 -> 6"));
        c.add(refused("stack_variable", Errno.EINVAL, "[nfp] variable ptr stack access"));
        c.add(refused("stack_moving", Errno.EINVAL, "[nfp] stack access changed location was:-13 is:-8"));
        c.add(accepted("stack_moving_ok"));
        c.add(refused("mapval_variable", Errno.EOPNOTSUPP, "[nfp] map value offset is variable"));
        c.add(refused("mapval_oob", Errno.EINVAL, "[nfp] map value access out-of-bounds"));
        c.add(refused("mapval_write", Errno.EOPNOTSUPP, "[nfp] map writes not supported"));
        c.add(refused("nfpsim_xdp_conflict", Errno.EOPNOTSUPP, "[nfp] map value use type conflict read vs atomic off: 0"));
        c.add(refused("atomic_then_read", Errno.EOPNOTSUPP, "[nfp] map value use type conflict atomic vs read off: 0"));
        c.add(accepted("atomic_other_word_ok"));
        c.add(accepted("ctx_queue_select"));
        c.add(refused("ctx_queue_select", b -> b.queueSelect(false), Errno.EOPNOTSUPP, "[nfp] queue selection not supported by FW"));
        c.add(refused("ctx_tc_store", Errno.EOPNOTSUPP, "[nfp] unsupported store to context field"));
        c.add(refused("ctx_xdp_ifindex", Errno.EINVAL,
                "context: the NFP JIT cannot read xdp_md field at offset 12 (4 bytes); only 4-byte loads of data (0) and data_end (4) are "
                        + "translated. The load fails with EINVAL and dmesg \"NFP net bpf: Translation failed with error -95\" (insn 0, EINVAL)"));
        c.add(refused("ctx_tc_mark", Errno.EINVAL,
                "context: the NFP JIT cannot read __sk_buff field at offset 8 (4 bytes); only 4-byte loads of len (0), data (76) and data_end (80) "
                        + "are translated. The load fails with EINVAL and dmesg \"NFP net bpf: Translation failed with error -95\" (insn 0, EINVAL)"));
        c.add(refused("st_immediate", Errno.EINVAL,
                "store-immediate: BPF_ST (store of an immediate, opcode 0x62) is never translated by the NFP JIT, whatever the destination; "
                        + "the load fails with EINVAL and only dmesg says \"NFP net bpf: Translation failed with error -95\". Store a register "
                        + "instead (BPF_STX) (insn 0, EINVAL)"));
        c.add(accepted("nfpsim_xdp_pkt"));
        // §1.6 packet split boundary: 3000 > 2016 only matters when the MTU allows such packets
        c.add(accepted("pkt_far"));
        c.add(new Case("pkt_far", DEFAULT, List.of("nfp: BPF offload not supported with potential packet access beyond HW packet split boundary"),
                Errno.EOPNOTSUPP, 9000));
        // §1.7 maps
        c.add(refused("map_no_prealloc", Errno.EINVAL, "map: map 'lazy': map flags are not supported (map_flags 0x1); map creation fails with "
                + "EINVAL and only dmesg says \"NFP net bpf: map flags are not supported\" (EINVAL)"));
        c.add(refused("map_lru", Errno.EINVAL, "map: map 'recent': type LRU_HASH cannot be offloaded; only HASH and ARRAY maps can be bound to "
                + "the device (PERF_EVENT_ARRAY stays on the host): created bound, it fails with EINVAL and no dmesg line; left on the host, "
                + "the verifier refuses the program with \"offload device mismatch between prog and map\" (EINVAL)"));
        c.add(refused("map_sizes", Errno.ENOMEM,
                "map: map 'wide_keys': map key size 72, FW max is 64; map creation fails with ENOMEM and only dmesg says \"NFP net bpf: map key size 72, FW max is 64\" (ENOMEM)",
                "map: map 'wide_vals': map value size 72, FW max is 64; map creation fails with ENOMEM and only dmesg says \"NFP net bpf: map value size 72, FW max is 64\" (ENOMEM)",
                "map: map 'many': map with too many elements: 2097152, left: 1048576; map creation fails with ENOMEM and only dmesg says \"NFP net bpf: map with too many elements: 2097152, left: 1048576\" (ENOMEM)"));
        c.add(refused("map_sizes", b -> b.maxElementSize(64).maxElements(1 << 22), Errno.ENOMEM,
                "map: map 'wide_keys': map elements too large: 80, FW max element size (key+value): 64; map creation fails with ENOMEM and only dmesg says \"NFP net bpf: map elements too large: 80, FW max element size (key+value): 64\" (ENOMEM)",
                "map: map 'wide_vals': map elements too large: 80, FW max element size (key+value): 64; map creation fails with ENOMEM and only dmesg says \"NFP net bpf: map elements too large: 80, FW max element size (key+value): 64\" (ENOMEM)"));
        c.add(refused("nfpsim_xdp_map", b -> b.maxMaps(0), Errno.ENOMEM, "map: map 'pkts': too many maps for a device; map creation fails with ENOMEM and only dmesg says \"NFP net bpf: too many maps for a device\" (ENOMEM)"));
        c.add(refused("nfpsim_xdp_map", b -> b.mapTypes(1 << 1), Errno.EOPNOTSUPP, "map: map 'pkts': map type not supported; map creation fails with EOPNOTSUPP and only dmesg says \"NFP net bpf: map type not supported\" (EOPNOTSUPP)"));
        // §1.2 program types and flags, §1.3 ld_imm64
        c.add(refused("type_socket", Errno.EINVAL, "program-type: program type SOCKET_FILTER (1, section \"socket\") cannot be offloaded; only XDP and SCHED_CLS (tc) programs can (EINVAL)"));
        c.add(refused("flags_frags", Errno.EINVAL, "program-flags: prog_flags 0x20 must be 0 for an offloaded program (section \"xdp.frags\" asks for BPF_F_XDP_HAS_FRAGS; use SEC(\"xdp\")) (EINVAL)"));
        // §1.7 global data: libbpf 1.1's flags for the section's map decide (a non-static variable: BPF_F_MMAPABLE)
        c.add(refused("global_data", Errno.EINVAL, "map: map '.data': map flags are not supported (map_flags 0x400: BPF_F_MMAPABLE, set by libbpf "
                + "because the section has a non-static global variable); map creation fails with EINVAL and only dmesg says \"NFP net bpf: map "
                + "flags are not supported\" (EINVAL)"));
        c.add(refused("global_rodata", Errno.EINVAL, "map: map '.rodata': map flags are not supported (map_flags 0x480: BPF_F_RDONLY_PROG | "
                + "BPF_F_MMAPABLE, set by libbpf on read-only global data); map creation fails with EINVAL and only dmesg says \"NFP net bpf: "
                + "map flags are not supported\" (EINVAL)"));
        c.add(refused("global_bss_static", Errno.ENOMEM, "map: map '.bss': map elements too large: 304, FW max element size (key+value): 128; "
                + "map creation fails with ENOMEM and only dmesg says \"NFP net bpf: map elements too large: 304, FW max element size "
                + "(key+value): 128\" (ENOMEM)"));
        c.add(refused("global_bss_small", Errno.EINVAL, "ld-imm64: global data (.bss) is not supported: its map is created on the device, whose "
                + "maps have no direct value access; the verifier refuses the program with \"no direct value access support for this map type\" "
                + "(insn 0, EINVAL)"));
        // §1.7 the kernel's order: libbpf creates big_first, lru_second, then .bss, though the program uses .bss first
        c.add(refused("map_order", Errno.ENOMEM,
                "map: map 'big_first': map value size 120, FW max is 64; map creation fails with ENOMEM and only dmesg says \"NFP net bpf: "
                        + "map value size 120, FW max is 64\" (ENOMEM)",
                "map: map 'lru_second': type LRU_HASH cannot be offloaded; only HASH and ARRAY maps can be bound to the device (PERF_EVENT_ARRAY "
                        + "stays on the host): created bound, it fails with EINVAL and no dmesg line; left on the host, the verifier refuses the "
                        + "program with \"offload device mismatch between prog and map\" (EINVAL)",
                "map: map '.bss': map flags are not supported (map_flags 0x400: BPF_F_MMAPABLE, set by libbpf because the section has a "
                        + "non-static global variable); map creation fails with EINVAL and only dmesg says \"NFP net bpf: map flags are not "
                        + "supported\" (EINVAL)"));
        // §1.5 packet pointers with variable offsets keep their type; bounded loops and branchy parsers stay within the step limit
        c.add(accepted("pkt_ipv4_options"));
        c.add(accepted("pkt_ipv6_ext"));
        c.add(accepted("pkt_rss_parse_udp"));
        c.add(accepted("loop_tcp_options"));
        c.add(accepted("loop_tcp_options10"));
        // §1.9 exit values
        c.add(refused("nfpsim_tc_ok", Errno.EINVAL, "[nfp] unsupported exit state: 1, imm: 0"));
        c.add(refused("exit_tc_redirect", Errno.EINVAL, "[nfp] unsupported exit state: 1, imm: 7"));
        c.add(refused("exit_tc_variable", Errno.EINVAL, "[nfp] unsupported exit state: 1, var_off: (0x0; 0x8)"));
        c.add(accepted("exit_tc_values_ok"));
        c.add(accepted("exit_xdp_redirect", "warning: exit: XDP return value 4 (XDP_REDIRECT) acts as XDP_ABORTED on the NFP: the packet is dropped (insn 8, NONE)"));
        c.add(accepted("nfpsim_tc_shot"));
        // §1.10 stack and calls: 3 frames of 8 B, each rounded up to 64 B (plus 4 B return address for callees)
        c.add(accepted("nfpsim_xdp_call"));
        c.add(accepted("call_deep_stack", b -> b.stackSizeUnits(3)));
        c.add(refused("call_deep_stack", b -> b.stackSizeUnits(2), Errno.EOPNOTSUPP, "[nfp] stack too large: program 192B > FW stack 128B"));
        c.add(refused("nfpsim_xdp_map", b -> b.stackSizeUnits(0), Errno.EOPNOTSUPP, "[nfp] stack too large: program 64B > FW stack 0B"));
        c.add(accepted("legacy_maps"));
        c.add(accepted("nfpsim_xdp_pass"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusProgramGivesTheExpectedFindings() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.program() + (k.profile() == DEFAULT ? "" : " (profile changed)")
                + (k.mtu() != NfpPreChecker.DEFAULT_MTU ? " mtu " + k.mtu() : ""), () -> {
            ObjectSpec spec = TestObjects.spec(k.program());
            FirmwareCapabilities caps = k.profile().apply(FirmwareCapabilities.nfpsim().toBuilder()).build();
            CheckReport r = new NfpPreChecker(caps).withDeviceMtu(k.mtu()).check(spec, spec.programs().getFirst());
            assertEquals(k.lines(), r.findings().stream().map(Finding::render).toList());
            if (k.errno() == null) {
                assertEquals(Verdict.OFFLOADABLE, r.verdict());
                assertNotNull(r.size());
            } else {
                assertEquals(Verdict.NOT_OFFLOADABLE, r.verdict());
                assertEquals(k.errno(), r.errors().getFirst().errno());
            }
        }));
    }
}

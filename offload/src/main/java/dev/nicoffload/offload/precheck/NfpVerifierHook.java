package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.MapSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.nicoffload.offload.precheck.Analyzer.*;
import static dev.nicoffload.offload.spec.Instruction.*;

/**
 * The NFP driver's verifier callbacks of Linux 6.1 ({@code drivers/net/ethernet/netronome/nfp/bpf/verifier.c}),
 * re-implemented over the {@link Analyzer}'s register states: the per-instruction hook
 * ({@code nfp_verify_insn}) with its helper, pointer, stack, map-value, atomic, ALU and exit checks,
 * the per-instruction records it keeps across paths ({@link Analyzer.Meta}), the per-word use of
 * map values, and the finalize step's stack-size check. A refusal is recorded with the driver's exact
 * text and ends the analysis, as it ends the kernel's.
 */
final class NfpVerifierHook {
    private static final int TC_ACT_SHOT = 2, TC_ACT_STOLEN = 4, TC_ACT_QUEUED = 5, TC_ACT_REDIRECT = 7;
    private static final int NFP_MAP_UNUSED = 0, NFP_MAP_USE_READ = 1, NFP_MAP_USE_ATOMIC = 3;
    private static final String[] USE_NAMES = {"unused", "read", "write", "atomic"};

    private static final boolean[] SUPPORTED = new boolean[256];

    static {
        int[] ops = {0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f, 0x77, 0x7f, 0x87,
                0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf,
                0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84,
                0xa4, 0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0xdc,
                0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75, 0x7d, 0xa5, 0xad,
                0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd, 0x85, 0x95,
                0x16, 0x1e, 0x26, 0x2e, 0x36, 0x3e, 0x46, 0x4e, 0x56, 0x5e, 0x66, 0x6e, 0x76, 0x7e, 0xa6, 0xae, 0xb6,
                0xbe, 0xc6, 0xce, 0xd6, 0xde,
                0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50,
                0x61, 0x69, 0x71, 0x79,
                0x62, 0x6a, 0x72, 0x7a,
                0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb};
        for (int op : ops) SUPPORTED[op] = true;
    }

    /** @return the number of opcodes in the NFP JIT table (115) */
    static int supportedOpcodeCount() {
        int n = 0;
        for (boolean b : SUPPORTED) if (b) n++;
        return n;
    }

    static boolean supportedOpcode(int opcode) {
        return SUPPORTED[opcode & 0xff];
    }

    private final Analyzer a;
    private final ProgramType type;
    private final boolean xdp;
    private final Map<String, MapSpec> maps;
    private final FirmwareCapabilities caps;
    private final List<Finding> findings;
    private final Map<String, int[]> mapUse = new HashMap<>();
    private final Map<String, boolean[]> mapNonZeroUpdate = new HashMap<>();
    private boolean warnedEventOutput;
    boolean fatal;

    NfpVerifierHook(Analyzer a, ProgramType type, Map<String, MapSpec> maps, FirmwareCapabilities caps) {
        this.a = a;
        this.type = type;
        this.xdp = type == ProgramType.XDP;
        this.maps = maps;
        this.caps = caps;
        this.findings = a.findings;
    }


    private void vlog(int slot, Rule rule, Errno errno, String text) {
        findings.add(new Finding(Finding.Source.VERIFIER_LOG, Finding.Severity.ERROR, rule, text, slot, errno));
        fatal = true;
        throw new Analyzer.Stop();
    }

    void checker(Rule rule, Finding.Severity sev, int slot, Errno errno, String text) {
        findings.add(new Finding(Finding.Source.CHECKER, sev, rule, text, slot, errno));
    }


    /** {@code nfp_verify_insn}: runs before the core verifier processes instruction {@code slot} on one path. */
    void verify(AbstractState st, int slot, Instruction in) {
        Analyzer.Meta m = a.meta[slot];
        if (!SUPPORTED[in.opcode()]) {
            vlog(slot, Rule.OPCODE, Errno.EINVAL, "instruction " + Tnum.hex(in.opcode()) + " not supported");
        }
        if (in.src() >= 11 || in.dst() >= 11) {
            vlog(slot, Rule.REGISTERS, Errno.EINVAL, "program uses extended registers - jit hardening?");
        }
        if (in.isCall() && in.src() != PSEUDO_CALL) {
            checkHelperCall(st, slot, in, m);
            return;
        }
        if (in.isExit()) {
            checkExit(st, slot);
            return;
        }
        int cls = in.cls();
        if (cls == LDX && in.mode() == MODE_MEM) {
            checkPtr(st, slot, in, m, in.src(), false);
        } else if (cls == STX && in.mode() == MODE_MEM) {
            checkStore(st, slot, in, m);
        } else if (cls == STX && in.mode() == MODE_ATOMIC) {
            checkAtomic(st, slot, in, m);
        } else if (cls == ALU || cls == ALU64) {
            checkAlu(st, slot, in, m);
        }
    }

    private void checkExit(AbstractState st, int slot) {
        if (xdp) {
            Reg r0 = st.reg(0);
            if (r0.isScalar() && Long.compareUnsigned(r0.umin(), 3) > 0 && Long.compareUnsigned(r0.umin(), 0xffffffffL) <= 0) {
                reportOnce(slot, a.meta[slot], Rule.EXIT, Finding.Severity.WARNING, Errno.NONE, "XDP return value "
                        + (r0.isConst() ? r0.constValue() + (r0.constValue() == 4 ? " (XDP_REDIRECT)" : "") : "above 3")
                        + " acts as XDP_ABORTED on the NFP: the packet is dropped");
            }
            return;
        }
        Reg r0 = st.reg(0);
        if (!(r0.type() == Reg.SCALAR && r0.varOff().isConst())) {
            vlog(slot, Rule.EXIT, Errno.EINVAL, "unsupported exit state: " + r0.type() + ", var_off: " + r0.varOff().kernelString());
        }
        long imm = r0.varOff().value();
        if (type == ProgramType.SCHED_CLS && Long.compareUnsigned(imm, TC_ACT_REDIRECT) <= 0
                && imm != TC_ACT_SHOT && imm != TC_ACT_STOLEN && imm != TC_ACT_QUEUED) {
            vlog(slot, Rule.EXIT, Errno.EINVAL, "unsupported exit state: " + r0.type() + ", imm: " + Long.toHexString(imm));
        }
    }

    private void checkPtr(AbstractState st, int slot, Instruction in, Analyzer.Meta m, int regNo, boolean isStore) {
        Reg reg = st.reg(regNo);
        int t = reg.type();
        if (t != Reg.PTR_TO_CTX && t != Reg.PTR_TO_STACK && t != Reg.PTR_TO_MAP_VALUE && t != Reg.PTR_TO_PACKET) {
            vlog(slot, Rule.POINTER, Errno.EINVAL, "unsupported ptr type: " + t);
        }
        if (t == Reg.PTR_TO_STACK) checkStackAccess(slot, m, reg);
        boolean atomic = in.cls() == STX && in.mode() == MODE_ATOMIC;
        if (t == Reg.PTR_TO_MAP_VALUE) {
            if (in.cls() == LDX) markMapUsed(slot, in, reg, NFP_MAP_USE_READ);
            if (isStore && !atomic) vlog(slot, Rule.MAP_VALUE, Errno.EOPNOTSUPP, "map writes not supported");
            if (atomic) markMapUsed(slot, in, reg, NFP_MAP_USE_ATOMIC);
        }
        if (m.ptrType != Reg.NOT_INIT && m.ptrType != t) {
            vlog(slot, Rule.POINTER, Errno.EINVAL, "ptr type changed for instruction " + m.ptrType + " -> " + t);
        }
        m.ptrType = t;
        m.ptr = reg;
    }

    private void checkStackAccess(int slot, Analyzer.Meta m, Reg reg) {
        if (!reg.varOff().isConst()) vlog(slot, Rule.STACK_ACCESS, Errno.EINVAL, "variable ptr stack access");
        if (m.ptrType == Reg.NOT_INIT || m.ptr == null) return;
        long oldOff = m.ptr.off() + m.ptr.varOff().value();
        long newOff = reg.off() + reg.varOff().value();
        int oldI = (int) oldOff, newI = (int) newOff;
        m.ptrNotConst |= oldI != newI;
        if (!m.ptrNotConst) return;
        if (oldI % 4 == newI % 4) return;
        vlog(slot, Rule.STACK_ACCESS, Errno.EINVAL, "stack access changed location was:" + oldI + " is:" + newI);
    }

    private void markMapUsed(int slot, Instruction in, Reg reg, int use) {
        if (!reg.varOff().isConst()) vlog(slot, Rule.MAP_VALUE, Errno.EOPNOTSUPP, "map value offset is variable");
        long off = (reg.varOff().value() + in.off() + reg.off()) & 0xffffffffL;
        int size = in.sizeBytes();
        MapSpec map = maps.get(reg.map());
        int valueSize = map == null ? Integer.MAX_VALUE : map.valueSize();
        if (((off + size) & 0xffffffffL) > valueSize) vlog(slot, Rule.MAP_VALUE, Errno.EINVAL, "map value access out-of-bounds");
        int[] words = useMap(reg.map(), valueSize);
        boolean[] nonZero = mapNonZeroUpdate.get(reg.map());
        for (long i = 0; i < size; i += 4 - (off + i) % 4) {
            long o = off + i;
            int w = (int) (o / 4);
            if (w >= words.length) break;
            if (words[w] != NFP_MAP_UNUSED && words[w] != use) {
                vlog(slot, Rule.MAP_VALUE, Errno.EOPNOTSUPP, "map value use type conflict " + USE_NAMES[words[w]] + " vs " + USE_NAMES[use] + " off: " + o);
            }
            if (nonZero[w] && use == NFP_MAP_USE_ATOMIC) {
                vlog(slot, Rule.MAP_VALUE, Errno.EOPNOTSUPP, "atomic counter in map value may already be initialized to non-zero value off: " + o);
            }
            words[w] = use;
        }
    }

    private int[] useMap(String map, int valueSize) {
        int words = valueSize == Integer.MAX_VALUE ? 0 : (valueSize + 3) / 4;
        mapNonZeroUpdate.computeIfAbsent(map, k -> new boolean[words]);
        return mapUse.computeIfAbsent(map, k -> new int[words]);
    }

    private void checkStore(AbstractState st, int slot, Instruction in, Analyzer.Meta m) {
        Reg reg = st.reg(in.dst());
        if (reg.type() == Reg.PTR_TO_CTX) {
            if (xdp && in.off() == 16) {
                if (!caps.queueSelect()) vlog(slot, Rule.CONTEXT, Errno.EOPNOTSUPP, "queue selection not supported by FW");
                checkPtr(st, slot, in, m, in.dst(), true);
                return;
            }
            vlog(slot, Rule.CONTEXT, Errno.EOPNOTSUPP, "unsupported store to context field");
        }
        checkPtr(st, slot, in, m, in.dst(), true);
    }

    private void checkAtomic(AbstractState st, int slot, Instruction in, Analyzer.Meta m) {
        Reg s = st.reg(in.src()), d = st.reg(in.dst());
        if (in.imm() != ADD) vlog(slot, Rule.ATOMIC, Errno.EOPNOTSUPP, "atomic op not implemented: " + in.imm());
        if (d.type() != Reg.PTR_TO_MAP_VALUE) vlog(slot, Rule.ATOMIC, Errno.EOPNOTSUPP, "atomic add not to a map value pointer: " + d.type());
        if (s.type() != Reg.SCALAR) vlog(slot, Rule.ATOMIC, Errno.EOPNOTSUPP, "atomic add not of a scalar: " + s.type());
        checkPtr(st, slot, in, m, in.dst(), true);
    }

    private void checkAlu(AbstractState st, int slot, Instruction in, Analyzer.Meta m) {
        Reg s = st.reg(in.src()), d = st.reg(in.dst());
        if (Long.compareUnsigned(s.umin(), m.uminSrc) < 0) m.uminSrc = s.umin();
        if (Long.compareUnsigned(s.umax(), m.umaxSrc) > 0) m.umaxSrc = s.umax();
        if (Long.compareUnsigned(d.umin(), m.uminDst) < 0) m.uminDst = d.umin();
        if (Long.compareUnsigned(d.umax(), m.umaxDst) > 0) m.umaxDst = d.umax();
        if (in.op() == MUL) {
            if (Long.compareUnsigned(m.umaxDst, Reg.U32_MAX) > 0) vlog(slot, Rule.MUL, Errno.EINVAL, "multiplier is not within u32 value range");
            if (in.source() == SRC_X && Long.compareUnsigned(m.umaxSrc, Reg.U32_MAX) > 0) vlog(slot, Rule.MUL, Errno.EINVAL, "multiplicand is not within u32 value range");
            if (in.cls() == ALU64 && in.source() == SRC_K && in.imm() < 0) vlog(slot, Rule.MUL, Errno.EINVAL, "sign extended multiplicand won't be within u32 value range");
        }
        if (in.op() == DIV) {
            if (Long.compareUnsigned(m.umaxDst, Reg.U32_MAX) > 0) vlog(slot, Rule.DIV, Errno.EINVAL, "dividend is not within u32 value range");
            if (in.source() == SRC_X) {
                if (m.uminSrc != m.umaxSrc) vlog(slot, Rule.DIV, Errno.EINVAL, "divisor is not constant");
                if (Long.compareUnsigned(m.umaxSrc, Reg.U32_MAX) > 0) vlog(slot, Rule.DIV, Errno.EINVAL, "divisor is not within u32 value range");
            }
            if (in.source() == SRC_K && in.imm() < 0) vlog(slot, Rule.DIV, Errno.EINVAL, "divide by negative constant is not supported");
        }
    }

    private void checkHelperCall(AbstractState st, int slot, Instruction in, Analyzer.Meta m) {
        Reg r1 = st.reg(1), r2 = st.reg(2), r3 = st.reg(3);
        int fn = in.imm();
        if (in.src() == PSEUDO_KFUNC_CALL) {
            checker(Rule.CALL, Finding.Severity.ERROR, slot, Errno.EOPNOTSUPP, "call to kfunc "
                    + (in.reference() == null ? "#" + fn : in.reference()) + ": the NFP supports no kfuncs; the kernel logs "
                    + "\"[nfp] unsupported function id: <BTF id>\"");
            fatal = true;
            throw new Analyzer.Stop();
        }
        switch (fn) {
            case FN_XDP_ADJUST_HEAD -> {
                if (caps.adjustHeadOffMax() == 0) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "adjust_head not supported by FW");
                if ((caps.adjustHeadFlags() & FirmwareCapabilities.ADJUST_HEAD_NO_META) == 0) {
                    vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "adjust_head: FW requires shifting metadata, not supported by the driver");
                }
                if (r2.isConst() && (m.arg2Const == null || m.arg2Const == r2.constValue())) m.arg2Const = r2.constValue();
                else m.arg2Varies = true;
            }
            case FN_XDP_ADJUST_TAIL -> {
                if (!caps.adjustTail()) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "adjust_tail not supported by FW");
                if (r2.isConst() && (int) r2.constValue() >= 0) {
                    reportOnce(slot, m, Rule.HELPER, Finding.Severity.WARNING, Errno.EINVAL,
                            "bpf_xdp_adjust_tail() with a delta that is not negative always fails on the NFP (it can only shrink the packet) and returns -EINVAL");
                }
            }
            case FN_MAP_LOOKUP -> {
                mapCallOk(slot, "map_lookup", caps.helperMapLookup());
                stackArgOk(slot, "map_lookup", r2);
            }
            case FN_MAP_UPDATE -> {
                mapCallOk(slot, "map_update", caps.helperMapUpdate());
                stackArgOk(slot, "map_update", r2);
                stackArgOk(slot, "map_update", r3);
                mapUpdateValueOk(st, slot, r1, r3);
            }
            case FN_MAP_DELETE -> {
                mapCallOk(slot, "map_delete", caps.helperMapDelete());
                stackArgOk(slot, "map_delete", r2);
                MapSpec map = maps.get(r1.map());
                if (map != null && map.type() == MapType.ARRAY) {
                    reportOnce(slot, m, Rule.HELPER, Finding.Severity.WARNING, Errno.EINVAL,
                            "bpf_map_delete_elem() on array map '" + map.name() + "' always fails (EINVAL) on an offloaded array");
                }
            }
            case FN_PRANDOM -> {
                if (!caps.pseudoRandom()) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "bpf_get_prandom_u32(): FW doesn't support random number generation");
            }
            case FN_PERF_EVENT_OUTPUT -> {
                if (caps.helperPerfEventOutput() == 0) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "event_output: not supported by FW");
                Tnum f = r3.varOff();
                if ((f.mask() & 0xffffffffL) != 0 || (f.value() & 0xffffffffL) != 0xffffffffL) {
                    vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "event_output: must use BPF_F_CURRENT_CPU, var_off: " + f.kernelString());
                }
                Reg r4 = st.reg(4);
                int t = r4.type();
                if (t != Reg.SCALAR && t != Reg.PTR_TO_STACK && t != Reg.PTR_TO_MAP_VALUE && t != Reg.PTR_TO_PACKET) {
                    vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "event_output: unsupported ptr type: " + t);
                }
                if (t == Reg.PTR_TO_STACK) stackArgOk(slot, "event_output", r4);
                if (!warnedEventOutput) {
                    warnedEventOutput = true;
                    findings.add(new Finding(Finding.Source.VERIFIER_LOG, Finding.Severity.WARNING, Rule.HELPER,
                            "warning: return codes and behavior of event_output helper differ for offload!", slot, Errno.EINVAL));
                }
                if (m.funcId != 0 && t != m.arg1Type) {
                    vlog(slot, Rule.HELPER, Errno.EINVAL, "event_output: ptr type changed: " + m.arg1Type + " " + t);
                }
                m.funcId = fn;
                m.arg1Type = t;
                return;
            }
            default -> vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, "unsupported function id: " + fn);
        }
        if (!xdp && (fn == FN_XDP_ADJUST_HEAD || fn == FN_XDP_ADJUST_TAIL)) {
            reportOnce(slot, m, Rule.HELPER, Finding.Severity.ERROR, Errno.EINVAL,
                    "helper " + fn + " (bpf_xdp_adjust_" + (fn == FN_XDP_ADJUST_HEAD ? "head" : "tail") + ") exists only for XDP programs; the core verifier refuses it");
        }
        m.funcId = fn;
        m.arg1Type = r1.type();
    }

    void reportOnce(int slot, Analyzer.Meta m, Rule rule, Finding.Severity sev, Errno errno, String text) {
        if (m.reported) return;
        m.reported = true;
        checker(rule, sev, slot, errno, text);
    }

    private void mapCallOk(int slot, String fname, long helperAddress) {
        if (helperAddress == 0) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, fname + ": not supported by FW");
    }

    private void stackArgOk(int slot, String fname, Reg reg) {
        if (reg.type() != Reg.PTR_TO_STACK) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, fname + ": unsupported ptr type " + reg.type());
        if (!reg.varOff().isConst()) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, fname + ": variable pointer");
        long off = reg.varOff().value() + reg.off();
        if ((-off) % 4 != 0) vlog(slot, Rule.HELPER, Errno.EOPNOTSUPP, fname + ": unaligned stack pointer " + (-off));
    }

    private void mapUpdateValueOk(AbstractState st, int slot, Reg r1, Reg r3) {
        MapSpec map = maps.get(r1.map());
        if (map == null || r3.frameno() > st.depth) return;
        AbstractState.Frame frame = st.frames[r3.frameno()];
        int off = (int) (r3.off() + r3.varOff().value());
        int[] words = useMap(map.name(), map.valueSize());
        boolean[] nonZero = mapNonZeroUpdate.get(map.name());
        for (int i = 0; i < map.valueSize(); i++) {
            int soff = -(off + i) - 1;
            if (soff >= 0 && soff < AbstractState.STACK_BYTES && frame.stack[soff] == AbstractState.ZERO) continue;
            if (words[i / 4] == NFP_MAP_USE_ATOMIC) {
                vlog(slot, Rule.MAP_VALUE, Errno.EOPNOTSUPP, "value at offset " + i + "/" + soff
                        + " may be non-zero, bpf_map_update_elem() is required to initialize atomic counters to zero to avoid offload endian issues");
            }
            nonZero[i / 4] = true;
        }
    }

    /** {@code nfp_bpf_finalize}: the stack use of the deepest call chain against the firmware stack. */
    void finalizeStack() {
        int[] depth = new int[a.stackDepth.length];
        for (int i = 0; i < depth.length; i++) {
            depth[i] = a.stackDepth[i];
            if (i == 0) continue;
            depth[i] += 4;
            if (needsRegPush(i)) depth[i] += 32;
        }
        int usage = stackUsage(depth);
        stackUsage = usage;
        if (usage > caps.stackBytes()) {
            vlog(-1, Rule.STACK_SIZE, Errno.EOPNOTSUPP, "stack too large: program " + usage + "B > FW stack " + caps.stackBytes() + "B");
        }
    }

    int stackUsage = -1;

    boolean needsRegPush(int subprog) {
        for (int i = 0; i < a.insns.length; i++) {
            if (a.subprogOf[i] == subprog && a.insns[i] != null && a.insns[i].dst() >= 6 && a.insns[i].dst() <= 9) return true;
        }
        return false;
    }

    /** {@code nfp_bpf_get_stack_usage}: the deepest call chain, each frame rounded up to 64 bytes. */
    private int stackUsage(int[] depth) {
        return chainDepth(0, depth, 0);
    }

    private int chainDepth(int subprog, int[] depth, int level) {
        int own = (depth[subprog] + 63) / 64 * 64;
        if (level >= AbstractState.MAX_FRAMES) return own;
        int best = 0;
        int last = a.insns.length - 1;
        for (int i = a.subprogStart[subprog]; i < a.insns.length && a.subprogOf[i] == subprog && i != last; i++) {
            Instruction in = a.insns[i];
            if (in != null && in.isPseudoCall()) {
                int t = i + in.imm() + 1;
                if (t >= 0 && t < a.insns.length) best = Math.max(best, chainDepth(a.subprogOf[t], depth, level + 1));
            }
        }
        return own + best;
    }
}

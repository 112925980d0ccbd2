package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ProgramSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.nicoffload.offload.spec.Instruction.*;

/**
 * Path-sensitive abstract interpretation of one program in the kernel verifier's order (fall-through
 * first, the taken branch of each undecided conditional jump pushed on a stack), with the NFP
 * driver's per-instruction hook ({@code nfp_verify_insn}) and finalize step ({@code nfp_bpf_finalize})
 * re-implemented on top of it. Like the kernel it stops at the first refusal that the driver writes
 * into the verifier log; its other findings (JIT-stage refusals the kernel only logs to dmesg) are
 * collected along the way.
 */
final class Analyzer {
    static final int MAX_PROCESSED = 1_000_000;
    static final int WIDEN_AFTER = 16;
    private static final int TC_ACT_SHOT = 2, TC_ACT_STOLEN = 4, TC_ACT_QUEUED = 5, TC_ACT_REDIRECT = 7;
    static final int FN_MAP_LOOKUP = 1, FN_MAP_UPDATE = 2, FN_MAP_DELETE = 3, FN_PRANDOM = 7, FN_TAIL_CALL = 12,
            FN_PERF_EVENT_OUTPUT = 25, FN_XDP_ADJUST_HEAD = 44, FN_XDP_ADJUST_META = 54, FN_XDP_ADJUST_TAIL = 65;
    private static final int NFP_MAP_UNUSED = 0, NFP_MAP_USE_READ = 1, NFP_MAP_USE_ATOMIC = 3;
    private static final String[] USE_NAMES = {"unused", "read", "write", "atomic"};
    private static final long U64_MAX = -1L;

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

    /** What the driver records per instruction across all paths ({@code struct nfp_insn_meta}). */
    static final class Meta {
        boolean visited;
        int ptrType = Reg.NOT_INIT;
        Reg ptr;
        boolean ptrNotConst;
        long uminSrc = U64_MAX, umaxSrc = 0, uminDst = U64_MAX, umaxDst = 0;
        int funcId;
        int arg1Type = Reg.NOT_INIT;
        boolean reported;
        /** Constant value of the helper's R2 on every path (adjust_head delta), or null. */
        Long arg2Const;
        boolean arg2Varies;
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private record Pending(AbstractState state, int slot) {
    }

    private final ProgramSpec prog;
    private final Map<String, MapSpec> maps;
    private final FirmwareCapabilities caps;
    private final boolean xdp;
    final Instruction[] insns; // by slot; null for the second slot of ld_imm64
    final int[] subprogOf;
    final int[] subprogStart;
    final Meta[] meta;
    final int[] stackDepth;
    final List<Finding> findings = new ArrayList<>();
    private final Map<String, int[]> mapUse = new HashMap<>();
    private final Map<String, boolean[]> mapNonZeroUpdate = new HashMap<>();
    private final List<List<AbstractState>> explored;
    private final boolean[] prunePoint;
    long maxPacketOffset;
    int processed;
    boolean fatal;
    boolean incomplete;
    private int idGen;
    private boolean warnedEventOutput;

    Analyzer(ProgramSpec prog, Map<String, MapSpec> maps, FirmwareCapabilities caps) {
        this.prog = prog;
        this.maps = maps;
        this.caps = caps;
        this.xdp = prog.type() == ProgramType.XDP;
        int n = prog.slotCount();
        insns = new Instruction[n];
        int s = 0;
        for (Instruction i : prog.instructions()) {
            insns[s] = i;
            s += i.slots();
        }
        TreeSet<Integer> starts = new TreeSet<>();
        starts.add(0);
        prunePoint = new boolean[n + 1];
        for (int i = 0; i < n; i++) {
            Instruction in = insns[i];
            if (in == null) continue;
            if (in.isPseudoCall() || (in.isLdImm64() && in.src() == PSEUDO_FUNC)) {
                int t = i + in.imm() + 1;
                if (t >= 0 && t < n) starts.add(t);
            }
            if (in.isJump()) {
                int t = i + in.off() + 1;
                if (t >= 0 && t <= n) prunePoint[t] = true;
                if (in.op() != JA && i + 1 <= n) prunePoint[i + 1] = true;
            }
            if (in.isCall() && i + 1 <= n) prunePoint[i + 1] = true;
        }
        subprogStart = starts.stream().mapToInt(Integer::intValue).toArray();
        subprogOf = new int[n];
        for (int i = 0, k = 0; i < n; i++) {
            while (k + 1 < subprogStart.length && subprogStart[k + 1] <= i) k++;
            subprogOf[i] = k;
        }
        meta = new Meta[n];
        for (int i = 0; i < n; i++) meta[i] = new Meta();
        stackDepth = new int[subprogStart.length];
        explored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) explored.add(null);
    }

    FirmwareCapabilities caps() {
        return caps;
    }

    // ================================================================== driver

    void run() {
        if (insns.length == 0) return;
        try {
            AbstractState init = new AbstractState(0);
            init.set(1, Reg.pointer(Reg.PTR_TO_CTX, 0, 0, 0, null));
            init.set(10, Reg.pointer(Reg.PTR_TO_STACK, 0, 0, 0, null));
            Deque<Pending> stack = new ArrayDeque<>();
            stack.push(new Pending(init, 0));
            while (!stack.isEmpty()) {
                Pending p = stack.pop();
                walk(p.state(), p.slot(), stack);
            }
            finalizeStack();
        } catch (Stop stop) {
            // a fatal finding was recorded
        }
    }

    private void walk(AbstractState st, int slot, Deque<Pending> pending) {
        while (true) {
            if (slot < 0 || slot >= insns.length || insns[slot] == null) return; // the core verifier refuses this; not ours
            if (prunePoint[slot]) {
                AbstractState next = pruneOrWiden(st, slot);
                if (next == null) return;
                st = next;
            }
            if (++processed > MAX_PROCESSED) {
                incomplete = true;
                checker(Rule.ANALYSIS, Finding.Severity.WARNING, -1, Errno.E2BIG,
                        "analysis stopped after " + MAX_PROCESSED + " processed instructions (the kernel verifier's own limit); findings may be incomplete");
                throw new Stop();
            }
            Instruction in = insns[slot];
            meta[slot].visited = true;
            hook(st, slot, in);
            int next = execute(st, slot, in, pending);
            if (next < 0) return;
            slot = next;
        }
    }

    /**
     * The kernel's {@code is_state_visited}: null when an explored state at this prune point already
     * covers {@code st} (the path needs no further walking). After {@link #WIDEN_AFTER} different
     * states at one point, the states are joined (ranges merged, as the driver merges them anyway)
     * and the walk continues from the join, which covers every later state; this stands in for the
     * kernel's precision tracking, which stops paths that differ only in values nothing depends on.
     */
    private AbstractState pruneOrWiden(AbstractState st, int slot) {
        List<AbstractState> seen = explored.get(slot);
        if (seen == null) {
            seen = new ArrayList<>(2);
            explored.set(slot, seen);
        }
        for (AbstractState old : seen) if (old.subsumes(st)) return null;
        if (seen.size() < WIDEN_AFTER) {
            seen.add(st.copy());
            return st;
        }
        AbstractState joined = seen.get(seen.size() - 1).join(st);
        if (joined == null) return st; // different call stacks: cannot join, keep walking
        seen.set(seen.size() - 1, joined);
        return joined.copy();
    }

    // ================================================================== findings

    private void vlog(int slot, Rule rule, Errno errno, String text) {
        findings.add(new Finding(Finding.Source.VERIFIER_LOG, Finding.Severity.ERROR, rule, text, slot, errno));
        fatal = true;
        throw new Stop();
    }

    private void checker(Rule rule, Finding.Severity sev, int slot, Errno errno, String text) {
        findings.add(new Finding(Finding.Source.CHECKER, sev, rule, text, slot, errno));
    }

    // ================================================================== the NFP hook (nfp_verify_insn)

    private void hook(AbstractState st, int slot, Instruction in) {
        Meta m = meta[slot];
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
        if (xdp) return;
        Reg r0 = st.reg(0);
        if (!(r0.type() == Reg.SCALAR && r0.varOff().isConst())) {
            vlog(slot, Rule.EXIT, Errno.EINVAL, "unsupported exit state: " + r0.type() + ", var_off: " + r0.varOff().kernelString());
        }
        long imm = r0.varOff().value();
        if (prog.type() == ProgramType.SCHED_CLS && Long.compareUnsigned(imm, TC_ACT_REDIRECT) <= 0
                && imm != TC_ACT_SHOT && imm != TC_ACT_STOLEN && imm != TC_ACT_QUEUED) {
            vlog(slot, Rule.EXIT, Errno.EINVAL, "unsupported exit state: " + r0.type() + ", imm: " + Long.toHexString(imm));
        }
    }

    private void checkPtr(AbstractState st, int slot, Instruction in, Meta m, int regNo, boolean isStore) {
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

    private void checkStackAccess(int slot, Meta m, Reg reg) {
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

    private void checkStore(AbstractState st, int slot, Instruction in, Meta m) {
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

    private void checkAtomic(AbstractState st, int slot, Instruction in, Meta m) {
        Reg s = st.reg(in.src()), d = st.reg(in.dst());
        if (in.imm() != ADD) vlog(slot, Rule.ATOMIC, Errno.EOPNOTSUPP, "atomic op not implemented: " + in.imm());
        if (d.type() != Reg.PTR_TO_MAP_VALUE) vlog(slot, Rule.ATOMIC, Errno.EOPNOTSUPP, "atomic add not to a map value pointer: " + d.type());
        if (s.type() != Reg.SCALAR) vlog(slot, Rule.ATOMIC, Errno.EOPNOTSUPP, "atomic add not of a scalar: " + s.type());
        checkPtr(st, slot, in, m, in.dst(), true);
    }

    private void checkAlu(AbstractState st, int slot, Instruction in, Meta m) {
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

    private void checkHelperCall(AbstractState st, int slot, Instruction in, Meta m) {
        Reg r1 = st.reg(1), r2 = st.reg(2), r3 = st.reg(3);
        int fn = in.imm();
        if (in.src() == PSEUDO_KFUNC_CALL) {
            checker(Rule.CALL, Finding.Severity.ERROR, slot, Errno.EOPNOTSUPP, "call to kfunc "
                    + (in.reference() == null ? "#" + fn : in.reference()) + ": the NFP supports no kfuncs; the kernel logs "
                    + "\"[nfp] unsupported function id: <BTF id>\"");
            fatal = true;
            throw new Stop();
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

    private void reportOnce(int slot, Meta m, Rule rule, Finding.Severity sev, Errno errno, String text) {
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

    private void finalizeStack() {
        int[] depth = new int[stackDepth.length];
        for (int i = 0; i < depth.length; i++) {
            depth[i] = stackDepth[i];
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
        for (int i = 0; i < insns.length; i++) {
            if (subprogOf[i] == subprog && insns[i] != null && insns[i].dst() >= 6 && insns[i].dst() <= 9) return true;
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
        int last = insns.length - 1;
        for (int i = subprogStart[subprog]; i < insns.length && subprogOf[i] == subprog && i != last; i++) {
            Instruction in = insns[i];
            if (in != null && in.isPseudoCall()) {
                int t = i + in.imm() + 1;
                if (t >= 0 && t < insns.length) best = Math.max(best, chainDepth(subprogOf[t], depth, level + 1));
            }
        }
        return own + best;
    }

    // ================================================================== execution

    private int newId() {
        return ++idGen;
    }

    private int execute(AbstractState st, int slot, Instruction in, Deque<Pending> pending) {
        int cls = in.cls();
        switch (cls) {
            case ALU, ALU64 -> {
                alu(st, in);
                return slot + 1;
            }
            case LD -> {
                if (in.isLdImm64()) {
                    st.set(in.dst(), ldImm64(in));
                    return slot + 2;
                }
                // LD_ABS / LD_IND: R0 gets the value, R1-R5 are clobbered
                st.set(0, Reg.unknownOfSize(in.sizeBytes()));
                for (int r = 1; r <= 5; r++) st.set(r, Reg.UNINIT);
                return slot + 1;
            }
            case LDX -> {
                load(st, slot, in);
                return slot + 1;
            }
            case ST -> {
                storeImmediate(st, slot, in);
                return slot + 1;
            }
            case STX -> {
                if (in.mode() == MODE_ATOMIC) atomic(st, slot, in);
                else store(st, slot, in, st.reg(in.src()));
                return slot + 1;
            }
            default -> {
                return jump(st, slot, in, pending);
            }
        }
    }

    private Reg ldImm64(Instruction in) {
        return switch (in.src()) {
            case 0 -> Reg.constant(in.constant());
            case PSEUDO_MAP_FD, PSEUDO_MAP_IDX -> Reg.pointer(Reg.CONST_PTR_TO_MAP, 0, 0, 0, in.reference());
            case PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX_VALUE -> Reg.pointer(Reg.PTR_TO_MAP_VALUE, in.imm2(), 0, 0, in.reference());
            case PSEUDO_FUNC -> Reg.pointer(Reg.PTR_TO_FUNC, 0, 0, 0, null);
            default -> Reg.pointer(Reg.PTR_TO_BTF_ID, 0, 0, 0, null);
        };
    }

    // ---------------------------------------------------------------- memory

    private void load(AbstractState st, int slot, Instruction in) {
        Reg ptr = st.reg(in.src());
        int size = in.sizeBytes();
        Reg result;
        switch (ptr.type()) {
            case Reg.PTR_TO_CTX -> result = ctxLoad(slot, in, size);
            case Reg.PTR_TO_STACK -> result = stackRead(st, ptr, in.off(), size);
            case Reg.PTR_TO_PACKET -> {
                packetAccess(ptr, in.off(), size);
                result = Reg.unknownOfSize(size);
            }
            default -> result = Reg.unknownOfSize(size);
        }
        st.set(in.dst(), result);
    }

    private Reg ctxLoad(int slot, Instruction in, int size) {
        int off = in.off();
        Meta m = meta[slot];
        int data = xdp ? 0 : 76, dataEnd = xdp ? 4 : 80, dataMeta = xdp ? 8 : 140;
        boolean ok = size == 4 && (off == data || off == dataEnd || (!xdp && off == 0));
        if (!ok && !m.reported) {
            m.reported = true;
            String allowed = xdp ? "data (0) and data_end (4)" : "len (0), data (76) and data_end (80)";
            checker(Rule.CONTEXT, Finding.Severity.ERROR, slot, Errno.EINVAL,
                    "the NFP JIT cannot read " + (xdp ? "xdp_md" : "__sk_buff") + " field at offset " + off + " (" + size
                            + " bytes); only 4-byte loads of " + allowed + " are translated. The load fails with EINVAL and dmesg "
                            + "\"NFP net bpf: Translation failed with error -95\"");
        }
        if (size == 4 && off == data) return Reg.pointer(Reg.PTR_TO_PACKET, 0, 0, 0, null);
        if (size == 4 && off == dataEnd) return Reg.pointer(Reg.PTR_TO_PACKET_END, 0, 0, 0, null);
        if (size == 4 && off == dataMeta) return Reg.pointer(Reg.PTR_TO_PACKET_META, 0, 0, 0, null);
        return Reg.unknownOfSize(Math.min(size, 4));
    }

    private void packetAccess(Reg ptr, int insnOff, int size) {
        long end = (long) insnOff + ptr.off() + ptr.umax() + size - 1;
        if (ptr.umax() < 0 || ptr.umax() > (1L << 40)) end = Long.MAX_VALUE;
        if (end > maxPacketOffset) maxPacketOffset = end;
    }

    private int stackIndex(long addr) {
        return (int) (-addr - 1);
    }

    private void noteStackDepth(AbstractState st, Reg ptr, long addr) {
        if (ptr.frameno() > st.depth) return;
        int sub = st.frames[ptr.frameno()].subprog;
        if (-addr > stackDepth[sub]) stackDepth[sub] = (int) Math.min(-addr, 1 << 20);
    }

    private Reg stackRead(AbstractState st, Reg ptr, int insnOff, int size) {
        long addr = ptr.off() + ptr.varOff().value() + insnOff;
        noteStackDepth(st, ptr, addr);
        if (!ptr.varOff().isConst() || addr >= 0 || addr < -AbstractState.STACK_BYTES || ptr.frameno() > st.depth) {
            return Reg.unknownOfSize(size);
        }
        AbstractState.Frame f = st.frames[ptr.frameno()];
        int top = stackIndex(addr); // index of the lowest address byte
        if (size == 8 && (-addr) % 8 == 0 && f.spilled[top / 8] != null && f.stack[top] == AbstractState.SPILL) {
            return f.spilled[top / 8];
        }
        boolean zero = true;
        for (int k = 0; k < size; k++) {
            int idx = stackIndex(addr + k);
            if (idx < 0 || f.stack[idx] != AbstractState.ZERO) {
                zero = false;
                break;
            }
        }
        return zero ? Reg.constant(0) : Reg.unknownOfSize(size);
    }

    private void stackWrite(AbstractState st, Reg ptr, int insnOff, int size, Reg value) {
        long addr = ptr.off() + ptr.varOff().value() + insnOff;
        noteStackDepth(st, ptr, addr);
        if (ptr.frameno() > st.depth) return;
        AbstractState.Frame f = st.frames[ptr.frameno()];
        f.own();
        if (!ptr.varOff().isConst()) {
            // a variable-offset write may touch any byte it can reach: forget what they held
            for (int i = 0; i < AbstractState.STACK_BYTES; i++) if (f.stack[i] != AbstractState.INVALID) f.stack[i] = AbstractState.MISC;
            f.used = AbstractState.STACK_BYTES;
            Arrays.fill(f.spilled, null);
            return;
        }
        if (addr >= 0 || addr + size > 0 || addr < -AbstractState.STACK_BYTES) return; // the core verifier refuses it
        boolean isZero = value != null && value.isConst() && value.constValue() == 0;
        f.touch(stackIndex(addr));
        if (size == 8 && (-addr) % 8 == 0 && value != null && value.type() != Reg.NOT_INIT && !isZero) {
            int top = stackIndex(addr);
            for (int k = 0; k < 8; k++) f.stack[top - k] = AbstractState.SPILL;
            f.spilled[top / 8] = value;
            return;
        }
        for (int k = 0; k < size; k++) {
            int idx = stackIndex(addr + k);
            int spi = idx / 8;
            if (f.spilled[spi] != null) { // a partial overwrite destroys the spilled register
                for (int j = spi * 8; j < spi * 8 + 8; j++) if (f.stack[j] == AbstractState.SPILL) f.stack[j] = AbstractState.MISC;
                f.spilled[spi] = null;
            }
            f.stack[idx] = isZero ? AbstractState.ZERO : AbstractState.MISC;
        }
    }

    private void store(AbstractState st, int slot, Instruction in, Reg value) {
        Reg ptr = st.reg(in.dst());
        switch (ptr.type()) {
            case Reg.PTR_TO_STACK -> stackWrite(st, ptr, in.off(), in.sizeBytes(), value);
            case Reg.PTR_TO_PACKET -> packetAccess(ptr, in.off(), in.sizeBytes());
            default -> { }
        }
    }

    private void storeImmediate(AbstractState st, int slot, Instruction in) {
        Meta m = meta[slot];
        if (!m.reported) {
            m.reported = true;
            checker(Rule.STORE_IMMEDIATE, Finding.Severity.ERROR, slot, Errno.EINVAL,
                    "BPF_ST (store of an immediate, opcode " + Tnum.hex(in.opcode()) + ") is never translated by the NFP JIT, "
                            + "whatever the destination; the load fails with EINVAL and only dmesg says "
                            + "\"NFP net bpf: Translation failed with error -95\". Store a register instead (BPF_STX)");
        }
        store(st, slot, in, Reg.constant(in.imm()));
    }

    private void atomic(AbstractState st, int slot, Instruction in) {
        Reg ptr = st.reg(in.dst());
        if (ptr.type() == Reg.PTR_TO_STACK) stackWrite(st, ptr, in.off(), in.sizeBytes(), Reg.UNKNOWN);
        if ((in.imm() & 0x01) != 0) { // BPF_FETCH
            if (in.imm() == 0xf1) st.set(0, Reg.unknownOfSize(in.sizeBytes()));
            else st.set(in.src(), Reg.unknownOfSize(in.sizeBytes()));
        }
    }

    // ---------------------------------------------------------------- ALU

    private void alu(AbstractState st, Instruction in) {
        boolean is64 = in.cls() == ALU64;
        int op = in.op();
        Reg dst = st.reg(in.dst());
        Reg src = in.source() == SRC_X ? st.reg(in.src()) : Reg.constant(in.imm());
        if (op == END || op == NEG) {
            st.set(in.dst(), op == END && in.imm() < 64 ? Reg.unknownOfSize(in.imm() / 8) : Reg.UNKNOWN);
            return;
        }
        if (op == MOV) {
            if (in.source() == SRC_K) {
                st.set(in.dst(), is64 ? Reg.constant(in.imm()) : Reg.constant(in.imm() & Reg.U32_MAX));
            } else if (is64) {
                if (src.isScalar() && src.id() == 0) {
                    src = src.withId(newId());
                    st.set(in.src(), src);
                }
                st.set(in.dst(), src);
            } else {
                st.set(in.dst(), src.isScalar() ? subreg(src).withId(0) : Reg.unknownOfSize(4));
            }
            return;
        }
        Reg result;
        if (dst.isPointer() || src.isPointer()) {
            result = is64 ? pointerArith(op, dst, src) : Reg.unknownOfSize(4);
        } else if (dst.type() == Reg.NOT_INIT || src.type() == Reg.NOT_INIT) {
            result = Reg.UNKNOWN; // the core verifier refuses reading an uninitialised register
        } else if (is64) {
            result = scalarOp(op, dst, src, 64);
        } else {
            Reg r = scalarOp(op, subreg(dst), subreg(src), 32);
            result = truncate32(r);
        }
        st.set(in.dst(), result.withId(0));
    }

    /** The low 32 bits of a scalar, zero-extended. */
    static Reg subreg(Reg r) {
        if (!r.isScalar()) return Reg.unknownOfSize(4);
        if (Long.compareUnsigned(r.umax(), Reg.U32_MAX) <= 0) return r.withId(0);
        Tnum t = r.varOff().cast(4);
        return Reg.scalar(t, t.value(), t.umax(), t.value(), t.umax());
    }

    private static Reg truncate32(Reg r) {
        Tnum t = r.varOff().cast(4);
        if (Long.compareUnsigned(r.umax(), Reg.U32_MAX) <= 0 && Long.compareUnsigned(r.umin(), r.umax()) <= 0) {
            return Reg.scalar(t, r.umin(), r.umax(), r.umin(), r.umax());
        }
        return Reg.scalar(t, t.value(), t.umax(), t.value(), t.umax());
    }

    private Reg pointerArith(int op, Reg dst, Reg src) {
        if (dst.isPointer() && src.isPointer()) return Reg.UNKNOWN; // ptr - ptr (allowed for root) gives a scalar
        Reg ptr = dst.isPointer() ? dst : src;
        Reg off = dst.isPointer() ? src : dst;
        if (op == SUB && !dst.isPointer()) return Reg.UNKNOWN;
        if (op != ADD && op != SUB) return Reg.UNKNOWN;
        if (!off.isScalar()) return Reg.UNKNOWN;
        if (off.isConst()) {
            long v = op == ADD ? off.constValue() : -off.constValue();
            long n = ptr.off() + v;
            if (n == (int) n) return ptr.withOff((int) n);
        }
        Tnum t = op == ADD ? ptr.varOff().add(off.varOff()) : ptr.varOff().sub(off.varOff());
        Reg r = scalarOp(op, Reg.scalar(ptr.varOff(), ptr.umin(), ptr.umax(), ptr.smin(), ptr.smax()), off, 64);
        Reg out = ptr.withVar(t, r.umin(), r.umax(), r.smin(), r.smax());
        return ptr.type() == Reg.PTR_TO_PACKET ? out.withId(newId()) : out;
    }

    /** Scalar transfer functions of the 6.1 verifier ({@code adjust_scalar_min_max_vals}). */
    static Reg scalarOp(int op, Reg d, Reg s, int bits) {
        boolean srcKnown = s.varOff().isConst();
        if (!srcKnown && op != ADD && op != SUB && op != AND) return Reg.UNKNOWN;
        Tnum dt = d.varOff(), stn = s.varOff();
        switch (op) {
            case ADD -> {
                long smin = d.smin() + s.smin(), smax = d.smax() + s.smax();
                boolean sOverflow = overflowAdd(d.smin(), s.smin()) || overflowAdd(d.smax(), s.smax());
                long umin = d.umin() + s.umin(), umax = d.umax() + s.umax();
                boolean uOverflow = Long.compareUnsigned(umin, d.umin()) < 0 || Long.compareUnsigned(umax, d.umax()) < 0;
                return Reg.scalar(dt.add(stn), uOverflow ? 0 : umin, uOverflow ? U64_MAX : umax,
                        sOverflow ? Long.MIN_VALUE : smin, sOverflow ? Long.MAX_VALUE : smax);
            }
            case SUB -> {
                boolean sOverflow = overflowSub(d.smin(), s.smax()) || overflowSub(d.smax(), s.smin());
                long smin = d.smin() - s.smax(), smax = d.smax() - s.smin();
                boolean uUnder = Long.compareUnsigned(d.umin(), s.umax()) < 0;
                return Reg.scalar(dt.sub(stn), uUnder ? 0 : d.umin() - s.umax(), uUnder ? U64_MAX : d.umax() - s.umin(),
                        sOverflow ? Long.MIN_VALUE : smin, sOverflow ? Long.MAX_VALUE : smax);
            }
            case MUL -> {
                Tnum t = dt.mul(stn);
                if (s.smin() < 0 || d.smin() < 0) return Reg.scalar(t, 0, U64_MAX, Long.MIN_VALUE, Long.MAX_VALUE);
                if (Long.compareUnsigned(s.umax(), Reg.U32_MAX) > 0 || Long.compareUnsigned(d.umax(), Reg.U32_MAX) > 0) {
                    return Reg.scalar(t, 0, U64_MAX, Long.MIN_VALUE, Long.MAX_VALUE);
                }
                long umin = d.umin() * s.umin(), umax = d.umax() * s.umax();
                return umax < 0 ? Reg.scalar(t, umin, umax, Long.MIN_VALUE, Long.MAX_VALUE) : Reg.scalar(t, umin, umax, umin, umax);
            }
            case AND -> {
                Tnum t = dt.and(stn);
                long umax = Long.compareUnsigned(d.umax(), s.umax()) < 0 ? d.umax() : s.umax();
                if (d.smin() < 0 || s.smin() < 0) return Reg.scalar(t, t.value(), umax, Long.MIN_VALUE, Long.MAX_VALUE);
                return Reg.scalar(t, t.value(), umax, t.value(), umax);
            }
            case OR -> {
                Tnum t = dt.or(stn);
                long umin = Long.compareUnsigned(d.umin(), s.umin()) > 0 ? d.umin() : s.umin();
                if (d.smin() < 0 || s.smin() < 0) return Reg.scalar(t, umin, t.umax(), Long.MIN_VALUE, Long.MAX_VALUE);
                return Reg.scalar(t, umin, t.umax(), umin, t.umax());
            }
            case XOR -> {
                Tnum t = dt.xor(stn);
                if (d.smin() >= 0 && s.smin() >= 0) return Reg.scalar(t, t.value(), t.umax(), t.value(), t.umax());
                return Reg.scalar(t, t.value(), t.umax(), Long.MIN_VALUE, Long.MAX_VALUE);
            }
            case LSH, RSH, ARSH -> {
                long k = s.constValue();
                if (k < 0 || k >= bits) return Reg.UNKNOWN;
                int sh = (int) k;
                if (op == LSH) {
                    Tnum t = dt.lshift(sh);
                    boolean overflow = sh > 0 && Long.compareUnsigned(d.umax(), 1L << (63 - sh)) > 0;
                    return Reg.scalar(t, overflow ? 0 : d.umin() << sh, overflow ? U64_MAX : d.umax() << sh, Long.MIN_VALUE, Long.MAX_VALUE);
                }
                if (op == RSH) {
                    return Reg.scalar(dt.rshift(sh), d.umin() >>> sh, d.umax() >>> sh, Long.MIN_VALUE, Long.MAX_VALUE);
                }
                if (bits == 32) {
                    Tnum t = dt.arshift(sh, 32);
                    return Reg.scalar(t, t.value(), t.umax(), Long.MIN_VALUE, Long.MAX_VALUE);
                }
                return Reg.scalar(dt.arshift(sh, 64), 0, U64_MAX, d.smin() >> sh, d.smax() >> sh);
            }
            default -> {
                return Reg.UNKNOWN; // DIV, MOD: not tracked by the 6.1 verifier
            }
        }
    }

    private static boolean overflowAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0;
    }

    private static boolean overflowSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0;
    }

    // ---------------------------------------------------------------- jumps, calls, exit

    private int jump(AbstractState st, int slot, Instruction in, Deque<Pending> pending) {
        if (in.isCall()) {
            if (in.src() == PSEUDO_CALL) {
                int target = slot + in.imm() + 1;
                if (st.depth + 1 >= AbstractState.MAX_FRAMES || target < 0 || target >= insns.length) return -1;
                AbstractState.Frame callee = new AbstractState.Frame(subprogOf[target], slot + 1);
                for (int r = 1; r <= 5; r++) callee.regs[r] = st.reg(r);
                st.depth++;
                st.frames[st.depth] = callee;
                callee.regs[10] = Reg.pointer(Reg.PTR_TO_STACK, 0, 0, st.depth, null);
                return target;
            }
            helperReturn(st, in);
            return slot + 1;
        }
        if (in.isExit()) {
            if (st.depth == 0) return -1;
            AbstractState.Frame callee = st.cur();
            Reg r0 = callee.regs[0];
            st.frames[st.depth] = null;
            st.depth--;
            st.set(0, r0.type() == Reg.PTR_TO_STACK && r0.frameno() > st.depth ? Reg.UNKNOWN : r0);
            for (int r = 1; r <= 5; r++) st.set(r, Reg.UNINIT);
            return callee.returnSlot;
        }
        int target = slot + in.off() + 1;
        if (in.op() == JA) return target;
        boolean is32 = in.cls() == JMP32;
        Reg dst = st.reg(in.dst());
        Reg src = in.source() == SRC_X ? st.reg(in.src()) : Reg.constant(is32 ? in.imm() & Reg.U32_MAX : (long) in.imm());
        int op = in.op();
        // pointer NULL checks
        if (in.source() == SRC_K && in.imm() == 0 && (op == JEQ || op == JNE) && !is32) {
            if (dst.type() == (Reg.PTR_TO_MAP_VALUE | Reg.PTR_MAYBE_NULL) && dst.id() != 0) {
                AbstractState other = st.copy();
                boolean takenIsNull = op == JEQ;
                markNull(other, dst.id(), takenIsNull);
                markNull(st, dst.id(), !takenIsNull);
                pending.push(new Pending(other, target));
                return slot + 1;
            }
            if (dst.isPointer() && dst.type() != Reg.PTR_TO_MAP_VALUE + Reg.PTR_MAYBE_NULL && (dst.type() & Reg.PTR_MAYBE_NULL) == 0) {
                return op == JNE ? target : slot + 1; // a pointer that cannot be NULL
            }
        }
        if (dst.isScalar() && src.isConst()) {
            int taken = branchTaken(dst, src.constValue(), op, is32);
            if (taken == 1) return target;
            if (taken == 0) return slot + 1;
            AbstractState other = st.copy();
            refine(other, in.dst(), dst, src.constValue(), op, is32, true);
            refine(st, in.dst(), dst, src.constValue(), op, is32, false);
            pending.push(new Pending(other, target));
            return slot + 1;
        }
        if (src.isScalar() && dst.isConst() && in.source() == SRC_X) {
            int flipped = flip(op);
            int taken = branchTaken(src, dst.constValue(), flipped, is32);
            if (taken == 1) return target;
            if (taken == 0) return slot + 1;
            AbstractState other = st.copy();
            refine(other, in.src(), src, dst.constValue(), flipped, is32, true);
            refine(st, in.src(), src, dst.constValue(), flipped, is32, false);
            pending.push(new Pending(other, target));
            return slot + 1;
        }
        pending.push(new Pending(st.copy(), target));
        return slot + 1;
    }

    private void helperReturn(AbstractState st, Instruction in) {
        int fn = in.imm();
        Reg r0;
        if (in.isHelperCall() && fn == FN_MAP_LOOKUP) {
            r0 = Reg.pointer(Reg.PTR_TO_MAP_VALUE | Reg.PTR_MAYBE_NULL, 0, newId(), 0, st.reg(1).map());
        } else {
            r0 = Reg.UNKNOWN;
        }
        if (in.isHelperCall() && (fn == FN_XDP_ADJUST_HEAD || fn == FN_XDP_ADJUST_TAIL || fn == FN_XDP_ADJUST_META)) {
            st.replaceAll(r -> r.type() == Reg.PTR_TO_PACKET || r.type() == Reg.PTR_TO_PACKET_END || r.type() == Reg.PTR_TO_PACKET_META ? Reg.UNKNOWN : null);
        }
        st.set(0, r0);
        for (int r = 1; r <= 5; r++) st.set(r, Reg.UNINIT);
    }

    private static void markNull(AbstractState st, int id, boolean isNull) {
        st.replaceAll(r -> r.id() == id && r.type() == (Reg.PTR_TO_MAP_VALUE | Reg.PTR_MAYBE_NULL)
                ? (isNull ? Reg.constant(0) : r.withType(Reg.PTR_TO_MAP_VALUE).withId(0)) : null);
    }

    private static int flip(int op) {
        return switch (op) {
            case JGT -> JLT;
            case JLT -> JGT;
            case JGE -> JLE;
            case JLE -> JGE;
            case JSGT -> JSLT;
            case JSLT -> JSGT;
            case JSGE -> JSLE;
            case JSLE -> JSGE;
            default -> op;
        };
    }

    /** The 32-bit view of a scalar for JMP32, or null if its upper half is not known to be zero. */
    private static Reg view(Reg r, boolean is32) {
        if (!is32) return r;
        return Long.compareUnsigned(r.umax(), Reg.U32_MAX) <= 0 ? r : null;
    }

    /** @return 1 if always taken, 0 if never, -1 if unknown ({@code is_branch_taken}) */
    static int branchTaken(Reg reg, long val, int op, boolean is32) {
        Reg r = view(reg, is32);
        if (r == null) {
            if (!is32) return -1;
            Reg sub = subreg(reg);
            if (sub.isConst()) return constCompare(sub.constValue(), val, op, true);
            return -1;
        }
        if (is32 && isSigned(op)) {
            if (r.umax() > Integer.MAX_VALUE || val != (val & Reg.U32_MAX) || (int) val < 0) {
                return r.isConst() ? constCompare(r.constValue(), val, op, true) : -1;
            }
        }
        if (r.isConst()) return constCompare(r.constValue(), val, op, is32);
        Tnum t = r.varOff();
        long umin = r.umin(), umax = r.umax(), smin = r.smin(), smax = r.smax();
        return switch (op) {
            case JEQ -> (Long.compareUnsigned(val, umin) < 0 || Long.compareUnsigned(val, umax) > 0 || val < smin || val > smax
                    || ((val ^ t.value()) & ~t.mask()) != 0) ? 0 : -1;
            case JNE -> (Long.compareUnsigned(val, umin) < 0 || Long.compareUnsigned(val, umax) > 0 || val < smin || val > smax
                    || ((val ^ t.value()) & ~t.mask()) != 0) ? 1 : -1;
            case JSET -> (t.value() & val) != 0 ? 1 : (t.umax() & val) == 0 ? 0 : -1;
            case JGT -> Long.compareUnsigned(umin, val) > 0 ? 1 : Long.compareUnsigned(umax, val) <= 0 ? 0 : -1;
            case JGE -> Long.compareUnsigned(umin, val) >= 0 ? 1 : Long.compareUnsigned(umax, val) < 0 ? 0 : -1;
            case JLT -> Long.compareUnsigned(umax, val) < 0 ? 1 : Long.compareUnsigned(umin, val) >= 0 ? 0 : -1;
            case JLE -> Long.compareUnsigned(umax, val) <= 0 ? 1 : Long.compareUnsigned(umin, val) > 0 ? 0 : -1;
            case JSGT -> smin > val ? 1 : smax <= val ? 0 : -1;
            case JSGE -> smin >= val ? 1 : smax < val ? 0 : -1;
            case JSLT -> smax < val ? 1 : smin >= val ? 0 : -1;
            case JSLE -> smax <= val ? 1 : smin > val ? 0 : -1;
            default -> -1;
        };
    }

    private static boolean isSigned(int op) {
        return op == JSGT || op == JSGE || op == JSLT || op == JSLE;
    }

    private static int constCompare(long a, long b, int op, boolean is32) {
        if (is32) {
            a &= Reg.U32_MAX;
            b &= Reg.U32_MAX;
        }
        long sa = is32 ? (int) a : a, sb = is32 ? (int) b : b;
        boolean r = switch (op) {
            case JEQ -> a == b;
            case JNE -> a != b;
            case JSET -> (a & b) != 0;
            case JGT -> Long.compareUnsigned(a, b) > 0;
            case JGE -> Long.compareUnsigned(a, b) >= 0;
            case JLT -> Long.compareUnsigned(a, b) < 0;
            case JLE -> Long.compareUnsigned(a, b) <= 0;
            case JSGT -> sa > sb;
            case JSGE -> sa >= sb;
            case JSLT -> sa < sb;
            case JSLE -> sa <= sb;
            default -> false;
        };
        return r ? 1 : 0;
    }

    /** {@code reg_set_min_max}: narrows the register (and its copies) on one side of a branch. */
    private static void refine(AbstractState st, int regNo, Reg reg, long val, int op, boolean is32, boolean taken) {
        Reg r = view(reg, is32);
        if (r == null) return;
        if (is32 && isSigned(op) && (r.umax() > Integer.MAX_VALUE || (int) val < 0)) return;
        if (!taken) op = negate(op);
        long umin = r.umin(), umax = r.umax(), smin = r.smin(), smax = r.smax();
        Tnum t = r.varOff();
        switch (op) {
            case JEQ -> { t = Tnum.constant(val); umin = umax = val; smin = smax = val; }
            case JNE -> { }
            case JSET -> { if (Long.bitCount(val) == 1) t = t.or(Tnum.constant(val)); }
            case -JSET -> t = t.and(Tnum.constant(~val));
            case JGT -> umin = maxU(umin, val + 1);
            case JGE -> umin = maxU(umin, val);
            case JLT -> umax = minU(umax, val - 1);
            case JLE -> umax = minU(umax, val);
            case JSGT -> smin = Math.max(smin, val + 1);
            case JSGE -> smin = Math.max(smin, val);
            case JSLT -> smax = Math.min(smax, val - 1);
            case JSLE -> smax = Math.min(smax, val);
            default -> { }
        }
        Reg n = Reg.scalar(t, umin, umax, smin, smax).withId(reg.id());
        if (reg.id() != 0) {
            int id = reg.id();
            st.replaceAll(x -> x.isScalar() && x.id() == id ? n : null);
        }
        st.set(regNo, n);
    }

    private static int negate(int op) {
        return switch (op) {
            case JEQ -> JNE;
            case JNE -> JEQ;
            case JSET -> -JSET;
            case JGT -> JLE;
            case JLE -> JGT;
            case JGE -> JLT;
            case JLT -> JGE;
            case JSGT -> JSLE;
            case JSLE -> JSGT;
            case JSGE -> JSLT;
            case JSLT -> JSGE;
            default -> op;
        };
    }

    private static long maxU(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static long minU(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}

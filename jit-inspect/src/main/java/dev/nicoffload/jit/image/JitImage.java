package dev.nicoffload.jit.image;

import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.io.InputFiles;
import dev.nicoffload.jit.isa.InstructionClass;
import dev.nicoffload.jit.isa.NfpDisassembler;
import dev.nicoffload.jit.isa.NfpEcc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An NFP JIT image: the little-endian 64-bit words the kernel's NFP JIT produced for one program
 * ({@code jited_prog_insns}), or the relocated copy the driver loads into the device.
 *
 * <p>Decodes each word's relocation tag (bits 63:56) and class, checks the ECC bits (51:45),
 * splits the image into intro, body, outro, callee-save subroutines and NOP tail, and resolves
 * branch targets to labels. Immutable.
 *
 * <p>The layout is recognised from the relocation tags (the outro starts at the first
 * next-packet branch), so it is known for images as the kernel exposes them; a relocated device
 * copy has its tags cleared and reports {@link ImageLayout.Kind#UNKNOWN}.
 */
public final class JitImage implements ProgramImage {
    /** The NOP the JIT pads with, {@code immed[--, 0]}. */
    public static final long NOP = 0x000000f0000c0300L;
    private static final long TAG_MASK = 0xffL << 56;
    private static final NfpDisassembler DISASSEMBLER = NfpDisassembler.of(true, false);

    private final long[] words;
    private final ImageLayout layout;
    private final List<JitInstruction> instructions;
    /** Whether some instruction branches to (or holds the address of) each index. */
    private final boolean[] targeted;

    private JitImage(long[] words) {
        this.words = words;
        this.layout = detectLayout(words);
        List<JitInstruction> list = new ArrayList<>(words.length);
        StringBuilder sb = new StringBuilder(96);
        for (int i = 0; i < words.length; i++) {
            long w = words[i];
            sb.setLength(0);
            DISASSEMBLER.disassemble(w, sb);
            RelocationType relo = RelocationType.of(RelocationType.tagOf(w));
            InstructionClass cls = InstructionClass.of(w);
            int target = -1;
            String label = null;
            int addr = branchAddress(w, cls);
            switch (relo) {
                case BR_GO_OUT -> {
                    target = layout.exitIndex();
                    label = "exit";
                }
                case BR_GO_ABORT -> {
                    target = layout.abortIndex();
                    label = "abort";
                }
                case BR_GO_CALL_PUSH_REGS -> {
                    target = layout.pushRegsIndex();
                    label = "push_regs";
                }
                case BR_GO_CALL_POP_REGS -> {
                    target = layout.popRegsIndex();
                    label = "pop_regs";
                }
                case BR_NEXT_PKT -> label = "next_packet";
                case BR_HELPER -> label = addr >= RelocationType.PLACEHOLDER
                        ? "helper_" + (addr - RelocationType.PLACEHOLDER) : "helper";
                case IMMED_REL -> target = immedValue(w);
                default -> target = addr;
            }
            if (target >= words.length) {
                target = -1;
            }
            if (target >= 0 && label == null) {
                label = labelFor(target);
            }
            list.add(new JitInstruction(i, w, layout.regionOf(i), relo, cls, sb.toString(), target, label));
        }
        this.instructions = Collections.unmodifiableList(list);
        this.targeted = new boolean[words.length];
        for (JitInstruction i : list) {
            if (i.target() >= 0) {
                targeted[i.target()] = true;
            }
        }
    }

    /**
     * An image from its bytes (u64 little-endian words).
     *
     * @throws NfpFormatException if the length is zero or not a multiple of 8
     */
    public static JitImage of(byte[] bytes) throws NfpFormatException {
        if (bytes.length == 0) {
            throw new NfpFormatException("empty JIT image");
        }
        if (bytes.length % 8 != 0) {
            throw new NfpFormatException("JIT image length " + bytes.length
                    + " is not a multiple of 8 (NFP instructions are 64-bit words; truncated image?)");
        }
        long[] w = new long[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(w);
        return new JitImage(w);
    }

    /** An image from its words. */
    public static JitImage ofWords(long... words) throws NfpFormatException {
        if (words.length == 0) {
            throw new NfpFormatException("empty JIT image");
        }
        return new JitImage(words.clone());
    }

    /** An image from a raw file of little-endian words. */
    public static JitImage read(Path file) throws IOException {
        return of(InputFiles.read(file));
    }

    /** Number of instructions. */
    public int size() {
        return words.length;
    }

    /** A copy of the words. */
    public long[] words() {
        return words.clone();
    }

    /** Little-endian bytes of the image. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(words);
        return b.array();
    }

    /** The decoded instructions, in order. */
    public List<JitInstruction> instructions() {
        return instructions;
    }

    /** Where intro, body, outro, callee-save subroutines and NOP tail lie. */
    public ImageLayout layout() {
        return layout;
    }

    /** Instruction count per class (every class present, zero counts included). */
    public Map<InstructionClass, Integer> classCounts() {
        return countBy(InstructionClass.class, JitInstruction::instructionClass);
    }

    /** Instruction count per relocation tag (every tag present, zero counts included). */
    public Map<RelocationType, Integer> relocationCounts() {
        return countBy(RelocationType.class, JitInstruction::relocation);
    }

    private <E extends Enum<E>> Map<E, Integer> countBy(Class<E> type, Function<JitInstruction, E> key) {
        Map<E, Integer> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, 0);
        }
        for (JitInstruction i : instructions) {
            m.merge(key.apply(i), 1, Integer::sum);
        }
        return m;
    }

    /** State of the ECC bits over the whole image. */
    public enum EccState {
        /** Every word carries its correct check bits (a device copy). */
        VALID,
        /** No word carries check bits (the image as the kernel exposes it). */
        ABSENT,
        /** Some words carry wrong check bits. */
        INVALID
    }

    /** Whether the image carries correct ECC bits, none, or wrong ones. */
    public EccState eccState() {
        boolean allMatch = true;
        boolean allZero = true;
        for (long w : words) {
            int stored = NfpEcc.stored(w);
            allMatch &= stored == NfpEcc.compute(w);
            allZero &= stored == 0;
        }
        return allMatch ? EccState.VALID : allZero ? EccState.ABSENT : EccState.INVALID;
    }

    /** Indices of words whose stored check bits differ from the computed ones. */
    public int[] eccMismatches() {
        return java.util.stream.IntStream.range(0, words.length)
                .filter(i -> NfpEcc.stored(words[i]) != NfpEcc.compute(words[i])).toArray();
    }

    /**
     * The copy the driver loads into the device: relocations resolved for {@code targets}, tags
     * cleared, ECC added.
     *
     * @throws IllegalStateException if the image's layout was not recognised (exit/abort unknown)
     * @throws IllegalArgumentException if a helper the image calls has no address in {@code targets}
     */
    public long[] relocate(RelocationTargets targets) {
        long[] out = new long[words.length];
        int start = targets.startOffset();
        for (int i = 0; i < words.length; i++) {
            long w = words[i];
            RelocationType relo = RelocationType.of(RelocationType.tagOf(w));
            switch (relo) {
                case NONE -> { }
                case BR_REL -> w = withBranchAddress(w, branchAddress(w, InstructionClass.of(w)) + start);
                case BR_GO_OUT -> w = withBranchAddress(w, requireLayout(layout.exitIndex()) + start);
                case BR_GO_ABORT -> w = withBranchAddress(w, requireLayout(layout.abortIndex()) + start);
                case BR_GO_CALL_PUSH_REGS -> w = withBranchAddress(w, requireLayout(layout.pushRegsIndex()) + start);
                case BR_GO_CALL_POP_REGS -> w = withBranchAddress(w, requireLayout(layout.popRegsIndex()) + start);
                case BR_NEXT_PKT -> w = withBranchAddress(w, targets.nextPacket());
                case BR_HELPER -> {
                    int id = branchAddress(w, InstructionClass.of(w)) - RelocationType.PLACEHOLDER;
                    Integer addr = targets.helpers().get(id);
                    if (addr == null) {
                        throw new IllegalArgumentException("no firmware address for helper " + id + " (instruction " + i + ")");
                    }
                    w = withBranchAddress(w, addr);
                }
                case IMMED_REL -> w = withImmedValue(w, immedValue(w) + start);
                case UNKNOWN -> throw new IllegalArgumentException("unknown relocation tag "
                        + RelocationType.tagOf(w) + " at instruction " + i);
            }
            out[i] = NfpEcc.withEcc(w & ~TAG_MASK);
        }
        return out;
    }

    private int requireLayout(int index) {
        if (index < 0) {
            throw new IllegalStateException("image layout not recognised; cannot resolve outro/subroutine targets");
        }
        return index;
    }

    /**
     * A listing: one line per instruction with index, word and objdump text, region headings, and
     * for branches the resolved target label.
     */
    public String listing() {
        StringBuilder sb = new StringBuilder(words.length * 80);
        Region current = null;
        int width = Integer.toString(words.length - 1).length();
        for (JitInstruction i : instructions) {
            if (layout.recognised() && i.region() != current) {
                current = i.region();
                sb.append("; ").append(current.name().toLowerCase(java.util.Locale.ROOT))
                        .append(" (").append(layout.length(current)).append(")\n");
            }
            String lbl = labelAt(i.index());
            if (lbl != null) {
                sb.append(lbl).append(":\n");
            }
            String idx = Integer.toString(i.index());
            sb.append(" ".repeat(width + 2 - idx.length())).append(idx).append("  ");
            String hex = Long.toHexString(i.word());
            sb.append("0".repeat(16 - hex.length())).append(hex).append("  ").append(i.text());
            if (i.targetLabel() != null) {
                sb.append("  ; ");
                if (i.relocation() != RelocationType.NONE) {
                    sb.append(i.relocation().name()).append(' ');
                }
                sb.append("-> ").append(i.targetLabel());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The label that marks instruction {@code index} as a branch target, or null. */
    public String labelAt(int index) {
        boolean isTarget = index >= 0 && index < targeted.length && targeted[index];
        return isTarget || isSpecial(index) ? labelFor(index) : null;
    }

    private boolean isSpecial(int index) {
        return index >= 0 && (index == layout.exitIndex() || index == layout.abortIndex()
                || index == layout.pushRegsIndex() || index == layout.popRegsIndex());
    }

    private String labelFor(int index) {
        if (index == layout.abortIndex()) {
            return "abort";
        }
        if (index == layout.exitIndex()) {
            return "exit";
        }
        if (index >= 0 && index == layout.pushRegsIndex()) {
            return "push_regs";
        }
        if (index >= 0 && index == layout.popRegsIndex()) {
            return "pop_regs";
        }
        return "L" + index;
    }

    /** The image as text: the listing. */
    @Override
    public String toString() {
        return "JitImage[" + words.length + " instructions, " + layout.kind() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JitImage other && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    static ImageLayout detectLayout(long[] w) {
        int n = w.length;
        int nopStart = n - ImageLayout.NOP_TAIL_LENGTH;
        if (n < ImageLayout.INTRO_LENGTH + ImageLayout.NOP_TAIL_LENGTH + 13) {
            return ImageLayout.unknown(n);
        }
        for (int i = nopStart; i < n; i++) {
            if ((w[i] & NfpEcc.INSTRUCTION_MASK) != NOP) {
                return ImageLayout.unknown(n);
            }
        }
        int outroStart = -1;
        for (int i = ImageLayout.INTRO_LENGTH; i < nopStart; i++) {
            if (RelocationType.tagOf(w[i]) == RelocationType.BR_NEXT_PKT.code()) {
                outroStart = i;
                break;
            }
        }
        if (outroStart < 0) {
            return ImageLayout.unknown(n);
        }
        int rest = nopStart - outroStart;
        return switch (rest) {
            case 13 -> new ImageLayout(ImageLayout.Kind.XDP, n, 2, outroStart, 13, -1, nopStart);
            case 18 -> new ImageLayout(ImageLayout.Kind.TC, n, 2, outroStart, 18, -1, nopStart);
            case 13 + ImageLayout.CALLEE_SAVE_LENGTH ->
                    new ImageLayout(ImageLayout.Kind.XDP, n, 2, outroStart, 13, outroStart + 13, nopStart);
            case 18 + ImageLayout.CALLEE_SAVE_LENGTH ->
                    new ImageLayout(ImageLayout.Kind.TC, n, 2, outroStart, 18, outroStart + 18, nopStart);
            default -> ImageLayout.unknown(n);
        };
    }

    /** Branch address of branch-like words (14 bits: w[40], w[34:22]); -1 for other classes. */
    static int branchAddress(long w, InstructionClass cls) {
        return switch (cls) {
            case BRANCH, BR_BYTE, BR_BIT -> (int) (((w >>> 40) & 1) << 13 | ((w >>> 22) & 0x1fff));
            case CTX_ARB -> ((w >>> 18) & 1) != 0 ? (int) (((w >>> 40) & 1) << 13 | ((w >>> 22) & 0x1fff)) : -1;
            default -> -1;
        };
    }

    static long withBranchAddress(long w, int addr) {
        w &= ~((1L << 40) | (0x1fffL << 22));
        return w | ((long) ((addr >> 13) & 1) << 40) | ((long) (addr & 0x1fff) << 22);
    }

    /** The 16-bit immediate of an immed word: imm_hi:low byte of whichever source is an immediate. */
    static int immedValue(long w) {
        int a = (int) (w & 0x3ff);
        int b = (int) ((w >>> 10) & 0x3ff);
        int hi = (int) ((w >>> 20) & 0xff);
        int low = (b & 0x300) == 0x300 ? b & 0xff : (a & 0x300) == 0x300 ? a & 0xff : 0;
        return hi << 8 | low;
    }

    static long withImmedValue(long w, int value) {
        boolean inB = ((w >>> 10) & 0x300) == 0x300;
        int shift = inB ? 10 : 0;
        w &= ~((0xffL << shift) | (0xffL << 20));
        return w | ((long) (value & 0xff) << shift) | ((long) ((value >>> 8) & 0xff) << 20);
    }
}

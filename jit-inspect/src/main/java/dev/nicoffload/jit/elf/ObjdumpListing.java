package dev.nicoffload.jit.elf;

import dev.nicoffload.jit.isa.NfpDisassembler;
import java.io.IOException;

/**
 * Prints NFP code in the layout of {@code objdump -d -z -m nfp --no-show-raw-insn}: the file
 * header, one block per code section (heading, section label, one line per word with address and
 * PC prefix) and the error lines objdump prints for partial words and invalid island/ME numbers.
 */
public final class ObjdumpListing {
    private static final int FLUSH_AT = 1 << 16;

    private ObjdumpListing() {}

    /**
     * Writes the whole listing of {@code file}, as objdump prints it for the path {@code displayName}.
     */
    public static void write(NfpElfFile file, String displayName, Appendable out) throws IOException {
        write(file, displayName, out, ContextMode.FROM_FILE);
    }

    /**
     * Writes the whole listing of {@code file} with the number of contexts chosen by {@code mode}
     * (objdump's {@code -M ctx4} / {@code -M ctx8}).
     */
    public static void write(NfpElfFile file, String displayName, Appendable out, ContextMode mode)
            throws IOException {
        StringBuilder sb = new StringBuilder(FLUSH_AT + 256);
        sb.append('\n').append(displayName).append(":     file format elf64-nfp\n\n");
        for (CodeSection s : file.codeSections()) {
            sb.append("\nDisassembly of section ").append(s.name()).append(":\n\n");
            appendLabel(sb, s.address(), s.name());
            if (!s.hasValidDomain()) {
                appendAddress(sb, s.address(), addressWidth(s.address() + s.size()));
                sb.append("Invalid island or me.").append(NfpDisassembler.ERROR_SUFFIX).append('\n');
                continue;
            }
            MeConfig cfg = s.config();
            NfpDisassembler dis = switch (mode) {
                case FROM_FILE -> cfg.disassembler();
                case FOUR -> NfpDisassembler.of(true, cfg.thirdParty32());
                case EIGHT -> NfpDisassembler.of(false, cfg.thirdParty32());
            };
            writeLines(s.wordsNoCopy(), s.trailingBytes(), s.address(), dis, cfg.sharedCodeStore(),
                    s.meNumber(), sb, out);
        }
        out.append(sb);
    }

    /**
     * Writes the instruction lines of one {@code .text} section at address 0 holding {@code words}
     * (plus {@code trailingBytes} bytes of a partial word), for an ME without shared code store.
     */
    public static void writeSectionLines(long[] words, int trailingBytes, NfpDisassembler dis, Appendable out)
            throws IOException {
        StringBuilder sb = new StringBuilder(FLUSH_AT + 256);
        writeLines(words, trailingBytes, 0, dis, false, 0, sb, out);
        out.append(sb);
    }

    private static void writeLines(long[] words, int trailingBytes, long address, NfpDisassembler dis,
                                   boolean scs, int me, StringBuilder sb, Appendable out) throws IOException {
        long size = 8L * words.length + trailingBytes;
        int width = addressWidth(address + size);
        for (int i = 0; i < words.length; i++) {
            appendAddress(sb, address + 8L * i, width);
            NfpDisassembler.appendPcPrefix(sb, (address >>> 3) + i, size >>> 3, scs, me);
            dis.disassemble(words[i], sb);
            sb.append('\n');
            if (sb.length() >= FLUSH_AT) {
                out.append(sb);
                sb.setLength(0);
            }
        }
        if (trailingBytes != 0) {
            appendAddress(sb, address + 8L * words.length, width);
            sb.append(NfpDisassembler.ERROR_SUFFIX).append('\n');
        }
    }

    private static void appendLabel(StringBuilder sb, long address, String name) {
        String hex = Long.toHexString(address);
        for (int i = hex.length(); i < 16; i++) {
            sb.append('0');
        }
        sb.append(hex).append(" <").append(name).append(">:\n");
    }

    /**
     * objdump drops leading zero digits of the section's end address in groups of four, always
     * keeping at least one zero: sections ending below 0x1000 get 4 columns, below 0x10000000 8.
     */
    static int addressWidth(long end) {
        int zeros = Long.numberOfLeadingZeros(end) / 4;
        if (end == 0) {
            zeros = 16;
        }
        int skip = zeros == 0 ? 0 : (zeros - 1) / 4 * 4;
        return 16 - skip;
    }

    private static void appendAddress(StringBuilder sb, long address, int width) {
        String hex = Long.toHexString(address);
        for (int i = hex.length(); i < width; i++) {
            sb.append(' ');
        }
        sb.append(hex).append(":\t");
    }
}

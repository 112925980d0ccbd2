package dev.nicoffload.jit.elf;

import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.io.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An NFP ELF file: {@code .nffw} firmware or any ELF64 little-endian file with {@code e_machine}
 * EM_NFP (250) or 0x6000, for the NFP-6xxx machine (ME v2.8). Holds the code sections, in section
 * header order, with the per-ME settings that the file's init-CSR sections
 * ({@code SHT_NFP_INITREG} for the ME CSRs) give them.
 *
 * <p>Every offset and size is checked before use; a defect raises {@link NfpFormatException}.
 */
public final class NfpElfFile {
    static final int EM_NFP = 250;
    static final int EM_NFP_ALT = 0x6000;
    static final int SHT_NOBITS = 8;
    static final int SHT_NFP_INITREG = 0x70000002;
    static final long SHF_EXECINSTR = 0x4;
    static final long SHF_NFP_INIT = 0x8000_0000L;
    static final long SHF_NFP_INIT2 = 0x4000_0000L;
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    /** CPP target 14 (CTXPB), read action 2 token 1, write action 3 token 1: the ME CSR space. */
    private static final int ME_CSR_CPP = (14 << 22) | (2 << 17) | (1 << 15) | (3 << 10) | (1 << 8);
    private static final int CPP_MASK = 0x03ff_ff00;
    private static final int ISLANDS = 64;
    private static final int MES = 12;

    private final List<CodeSection> codeSections;
    private final int machine;

    private NfpElfFile(List<CodeSection> codeSections, int machine) {
        this.codeSections = List.copyOf(codeSections);
        this.machine = machine;
    }

    /** Reads and parses a file. */
    public static NfpElfFile read(Path path) throws IOException {
        return parse(InputFiles.read(path));
    }

    /** Whether {@code bytes} start like an ELF file (magic only). */
    public static boolean looksLikeElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    /** Parses an NFP ELF image held in memory. */
    public static NfpElfFile parse(byte[] bytes) throws NfpFormatException {
        if (bytes.length < 4 || !looksLikeElf(bytes)) {
            throw new NfpFormatException("not an ELF file (no \\x7fELF magic)");
        }
        if (bytes.length < EHDR_SIZE) {
            throw new NfpFormatException("truncated ELF header: file has " + bytes.length + " bytes, need 64");
        }
        if (bytes[4] != 2) {
            throw new NfpFormatException("not an NFP ELF file: ELF class " + bytes[4] + " (NFP files are ELF64)");
        }
        if (bytes[5] != 1) {
            throw new NfpFormatException("not an NFP ELF file: data encoding " + bytes[5]
                    + " (NFP files are little-endian)");
        }
        byte[] b = bytes;
        int machine = u16(b, 0x12);
        if (machine != EM_NFP && machine != EM_NFP_ALT) {
            throw new NfpFormatException("not an NFP ELF file: e_machine " + machine + " (0x"
                    + Integer.toHexString(machine) + "), expected 250 (EM_NFP) or 0x6000");
        }
        int mach = (i32(b, 0x30) >>> 8) & 0xffff;
        if (mach != 0 && mach != 0x6000) {
            throw new NfpFormatException("unsupported NFP machine 0x" + Integer.toHexString(mach)
                    + " in e_flags (only NFP-6xxx, ME v2.8, is supported)");
        }
        long shoff = i64(b, 0x28);
        int shentsize = u16(b, 0x3a);
        long shnum = u16(b, 0x3c);
        int shstrndx = u16(b, 0x3e);
        if (shoff == 0) {
            return new NfpElfFile(List.of(), machine);
        }
        if (shentsize != SHDR_SIZE) {
            throw new NfpFormatException("corrupt ELF header: e_shentsize " + shentsize + ", expected 64");
        }
        if (shoff < 0 || shoff > bytes.length - SHDR_SIZE) {
            throw new NfpFormatException("corrupt ELF header: section headers at offset " + Long.toUnsignedString(shoff)
                    + " lie outside the " + bytes.length + "-byte file");
        }
        if (shnum == 0) {
            shnum = i64(b, (int) shoff + 32); // extended numbering: count in section 0's sh_size
        }
        if (shstrndx == 0xffff) {
            shstrndx = i32(b, (int) shoff + 40); // SHN_XINDEX: index in section 0's sh_link
        }
        if (shnum < 0 || shnum > (bytes.length - shoff) / SHDR_SIZE) {
            throw new NfpFormatException("truncated or corrupt section header table: " + Long.toUnsignedString(shnum)
                    + " headers at offset " + shoff + " do not fit in the " + bytes.length + "-byte file");
        }
        int n = (int) shnum;
        Shdr[] sh = new Shdr[n];
        for (int i = 0; i < n; i++) {
            sh[i] = new Shdr(b, (int) shoff + i * SHDR_SIZE);
        }
        if (shstrndx < 0 || shstrndx >= n) {
            throw new NfpFormatException("corrupt ELF header: section name table index " + shstrndx
                    + " is not below the section count " + n);
        }
        Shdr strtab = sh[shstrndx];
        if (strtab.type == SHT_NOBITS) {
            throw new NfpFormatException("corrupt ELF file: section name table " + shstrndx + " has no contents");
        }
        checkContents(strtab, shstrndx, bytes.length, ".shstrtab");

        // Init-CSR settings: per [is_text][island], the best-ranked ME-CSR section.
        int[][] best = new int[2][ISLANDS];
        for (int[] row : best) {
            java.util.Arrays.fill(row, -1);
        }
        for (int i = 0; i < n; i++) {
            Shdr s = sh[i];
            if (s.type != SHT_NFP_INITREG || (s.info & CPP_MASK) != ME_CSR_CPP) {
                continue;
            }
            int island = (int) (s.info >>> 26);
            int slot = isText(s.flags) ? 1 : 0;
            int cur = best[slot][island];
            if (cur < 0 || rank(s) >= rank(sh[cur])) {
                best[slot][island] = i;
            }
        }
        MeConfig[][][] configs = new MeConfig[2][ISLANDS][];
        for (int slot = 0; slot < 2; slot++) {
            for (int island = 0; island < ISLANDS; island++) {
                int idx = best[slot][island];
                if (idx >= 0) {
                    configs[slot][island] = meConfigs(b, sh[idx], idx, name(b, strtab, sh[idx], idx), bytes.length);
                }
            }
        }

        List<CodeSection> code = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Shdr s = sh[i];
            if ((s.flags & SHF_EXECINSTR) == 0 || s.type == SHT_NOBITS || s.size == 0) {
                continue;
            }
            String name = name(b, strtab, s, i);
            checkContents(s, i, bytes.length, name);
            if (s.size > Integer.MAX_VALUE - 8) {
                throw new NfpFormatException("code section " + name + " is too large: " + s.size + " bytes");
            }
            int island = (int) ((s.info >>> 24) & 0xff);
            int me = (int) ((s.info >>> 16) & 0xff);
            MeConfig cfg = MeConfig.DEFAULT;
            if (island < ISLANDS && me < MES) {
                MeConfig[] perMe = configs[isText(s.flags) ? 1 : 0][island];
                if (perMe != null && perMe[me] != null) {
                    cfg = perMe[me];
                }
            }
            int count = (int) (s.size / 8);
            long[] words = new long[count];
            ByteBuffer.wrap(bytes, (int) s.offset, count * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
            code.add(new CodeSection(i, name, s.addr, s.flags, island, me, cfg, words, (int) (s.size % 8)));
        }
        return new NfpElfFile(code, machine);
    }

    private static boolean isText(long flags) {
        return (flags & (SHF_NFP_INIT | SHF_NFP_INIT2)) == 0;
    }

    /** INIT2 sections rank above all others; then the higher order (sh_info bits 7:0); on a tie the later section wins. */
    private static int rank(Shdr s) {
        return ((s.flags & SHF_NFP_INIT2) != 0 ? 0x100 : 0) | (int) (s.info & 0xff);
    }

    private static MeConfig[] meConfigs(byte[] b, Shdr s, int index, String name, int fileLength)
            throws NfpFormatException {
        checkContents(s, index, fileLength, name);
        long[] ctxEnables = new long[MES];
        long[] misc = new long[MES];
        boolean[] seen = new boolean[MES];
        int off = (int) s.offset;
        long entries = s.size / 16;
        for (int k = 0; k < entries; k++) {
            int e = off + 16 * k;
            int w0 = i32(b, e);
            int lo = i32(b, e + 4);
            long val = Integer.toUnsignedLong(i32(b, e + 8));
            int valueType = (w0 >>> 25) & 7;
            if (w0 < 0 || valueType > 1) {
                continue; // continuation word, or a value type that is not a constant
            }
            int me = ((lo >>> 10) & 0xf) - 4;
            int csr = lo & 0x3ff;
            if (me < 0 || me >= MES) {
                continue;
            }
            if (csr == MeConfig.CSR_CTX_ENABLES) {
                ctxEnables[me] = val;
                seen[me] = true;
            } else if (csr == MeConfig.CSR_MISC_CONTROL) {
                misc[me] = val;
                seen[me] = true;
            }
        }
        MeConfig[] out = new MeConfig[MES];
        for (int me = 0; me < MES; me++) {
            if (seen[me]) {
                out[me] = MeConfig.fromCsrs(ctxEnables[me], misc[me]);
            }
        }
        return out;
    }

    private static void checkContents(Shdr s, int index, int fileLength, String name) throws NfpFormatException {
        if (s.type == SHT_NOBITS) {
            return;
        }
        if (s.offset < 0 || s.size < 0 || s.offset > fileLength || s.size > fileLength - s.offset) {
            throw new NfpFormatException("corrupt section header " + index + " (" + name + "): contents at offset "
                    + Long.toUnsignedString(s.offset) + ", size " + Long.toUnsignedString(s.size)
                    + " lie outside the " + fileLength + "-byte file");
        }
    }

    private static String name(byte[] b, Shdr strtab, Shdr s, int index) throws NfpFormatException {
        long nameOff = Integer.toUnsignedLong(s.name);
        if (nameOff >= strtab.size) {
            throw new NfpFormatException("corrupt section header " + index + ": name offset " + nameOff
                    + " outside the section name table (" + strtab.size + " bytes)");
        }
        int start = (int) (strtab.offset + nameOff);
        int end = (int) (strtab.offset + strtab.size);
        int p = start;
        while (p < end && b[p] != 0) {
            p++;
        }
        if (p == end) {
            throw new NfpFormatException("corrupt section name table: name of section " + index + " is not terminated");
        }
        return new String(b, start, p - start, StandardCharsets.ISO_8859_1);
    }

    /** Code sections ({@code SHF_EXECINSTR} with contents, non-empty) in section header order. */
    public List<CodeSection> codeSections() {
        return codeSections;
    }

    /** {@code e_machine}: 250 (EM_NFP) or 0x6000 (used by real {@code .nffw} files). */
    public int machine() {
        return machine;
    }

    /** Total number of whole instruction words in all code sections. */
    public long wordCount() {
        long n = 0;
        for (CodeSection s : codeSections) {
            n += s.wordCount();
        }
        return n;
    }

    /** Little-endian reads from a byte array (cheaper than ByteBuffer while the JVM is still cold). */
    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int i32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static long i64(byte[] b, int at) {
        return Integer.toUnsignedLong(i32(b, at)) | (long) i32(b, at + 4) << 32;
    }

    /** One section header, fields widened to unsigned where it matters. */
    private static final class Shdr {
        final int name;
        final int type;
        final long flags;
        final long addr;
        final long offset;
        final long size;
        final long info;

        Shdr(byte[] b, int at) {
            name = i32(b, at);
            type = i32(b, at + 4);
            flags = i64(b, at + 8);
            addr = i64(b, at + 16);
            offset = i64(b, at + 24);
            size = i64(b, at + 32);
            info = Integer.toUnsignedLong(i32(b, at + 44));
        }
    }
}

package dev.nicoffload.offload.adapt.equivalence;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns off libbpf's map pinning ({@code __uint(pinning, LIBBPF_PIN_BY_NAME)}) in a copy of a BPF
 * object, for the host equivalence runs: there, a pinned map would be shared by the original and the
 * adapted object (so one would see the other's counts), and the host has no bpffs at
 * {@code /sys/fs/bpf} anyway. The {@code pinning} member of a BTF map definition is a pointer to an
 * array whose element count is the value; that count is set to 0 ({@code LIBBPF_PIN_NONE}). When the
 * same array type also gives another map-definition attribute its value, the object is refused
 * rather than silently changed in a second place.
 */
final class BtfPinning {
    private BtfPinning() {
    }

    static byte[] withoutPinning(byte[] elf) {
        int[] sec;
        try {
            sec = ElfEdit.section(elf, ".BTF");
        } catch (IllegalArgumentException e) {
            return elf; // no BTF: no BTF-defined pinning
        }
        byte[] out = elf.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int base = sec[0];
        int hdrLen = b.getInt(base + 4);
        int typeStart = base + hdrLen + b.getInt(base + 8);
        int typeEnd = typeStart + b.getInt(base + 12);
        int strStart = base + hdrLen + b.getInt(base + 16);
        List<Integer> offsets = new ArrayList<>();
        offsets.add(-1); // type id 0 is void
        for (int at = typeStart; at < typeEnd; ) {
            offsets.add(at);
            int info = b.getInt(at + 4);
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            at += 12 + switch (kind) {
                case 1, 14, 17 -> 4;              // INT, VAR, DECL_TAG
                case 3 -> 12;                     // ARRAY
                case 4, 5, 15, 19 -> 12 * vlen;   // STRUCT, UNION, DATASEC, ENUM64
                case 6, 13 -> 8 * vlen;           // ENUM, FUNC_PROTO
                default -> 0;
            };
        }
        Map<Integer, String> pinArrays = new HashMap<>();
        Set<Integer> otherArrays = new HashSet<>();
        for (int id = 1; id < offsets.size(); id++) {
            int at = offsets.get(id);
            int info = b.getInt(at + 4);
            if (((info >>> 24) & 0x1f) != 15 || !name(out, strStart, b.getInt(at)).equals(".maps")) {
                continue;
            }
            for (int v = 0; v < (info & 0xffff); v++) {
                int var = b.getInt(at + 12 + 12 * v);
                int def = resolve(b, offsets, b.getInt(offsets.get(var) + 8));
                int dinfo = b.getInt(offsets.get(def) + 4);
                if (((dinfo >>> 24) & 0x1f) != 4) {
                    continue;
                }
                for (int m = 0; m < (dinfo & 0xffff); m++) {
                    int mat = offsets.get(def) + 12 + 12 * m;
                    int array = pointee(b, offsets, b.getInt(mat + 4));
                    if (array < 0) {
                        continue;
                    }
                    if (name(out, strStart, b.getInt(mat)).equals("pinning")) {
                        pinArrays.put(array, name(out, strStart, b.getInt(offsets.get(var))));
                    } else {
                        otherArrays.add(array);
                    }
                }
            }
        }
        for (Map.Entry<Integer, String> e : pinArrays.entrySet()) {
            if (otherArrays.contains(e.getKey())) {
                throw new IllegalArgumentException("map " + e.getValue() + ": its pinning value's BTF type also gives another "
                        + "map attribute its value; cannot turn pinning off in place");
            }
            b.putInt(offsets.get(e.getKey()) + 12 + 8, 0); // btf_array.nelems
        }
        return out;
    }

    private static int resolve(ByteBuffer b, List<Integer> offsets, int id) {
        for (int i = 0; i < 16 && id > 0; i++) {
            int kind = (b.getInt(offsets.get(id) + 4) >>> 24) & 0x1f;
            if (kind != 8 && kind != 9 && kind != 10 && kind != 11) { // typedef, volatile, const, restrict
                return id;
            }
            id = b.getInt(offsets.get(id) + 8);
        }
        return id;
    }

    /** For a PTR to an ARRAY, the ARRAY's id; else -1. */
    private static int pointee(ByteBuffer b, List<Integer> offsets, int id) {
        if (id <= 0 || ((b.getInt(offsets.get(id) + 4) >>> 24) & 0x1f) != 2) {
            return -1;
        }
        int target = b.getInt(offsets.get(id) + 8);
        return target > 0 && ((b.getInt(offsets.get(target) + 4) >>> 24) & 0x1f) == 3 ? target : -1;
    }

    private static String name(byte[] elf, int strStart, int off) {
        int at = strStart + off;
        int end = at;
        while (elf[end] != 0) {
            end++;
        }
        return new String(elf, at, end - at, StandardCharsets.US_ASCII);
    }
}

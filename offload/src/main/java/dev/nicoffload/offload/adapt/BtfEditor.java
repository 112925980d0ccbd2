package dev.nicoffload.offload.adapt;

import dev.nicoffload.offload.spec.ObjectFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits the {@code .BTF} section of an object: the numeric members of a BTF map definition
 * ({@code int (*type)[N]} encodes N in an array type's element count) and data section names.
 * Existing types keep their ids and their bytes' places; new types are appended after the last one.
 */
final class BtfEditor {
    private static final int KIND_INT = 1, KIND_PTR = 2, KIND_ARRAY = 3, KIND_STRUCT = 4, KIND_UNION = 5, KIND_ENUM = 6,
            KIND_TYPEDEF = 8, KIND_VOLATILE = 9, KIND_CONST = 10, KIND_RESTRICT = 11, KIND_FUNC_PROTO = 13,
            KIND_VAR = 14, KIND_DATASEC = 15, KIND_DECL_TAG = 17, KIND_TYPE_TAG = 18, KIND_ENUM64 = 19;

    private final byte[] original;
    private final int hdrLen, typeStart, typeLen, strStart, strLen;
    private final ByteBuffer types;
    private final List<Integer> offsets = new ArrayList<>();
    private final ByteArrayOutputStream appended = new ByteArrayOutputStream();
    private int appendedCount;
    private final ByteArrayOutputStream appendedStrings = new ByteArrayOutputStream();
    /** Entries to append to a DATASEC when writing: datasec type id and its extra 12-byte entries. */
    private final java.util.Map<Integer, ByteArrayOutputStream> datasecAdds = new java.util.LinkedHashMap<>();

    BtfEditor(byte[] btf) {
        original = btf;
        ByteBuffer b = ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN);
        hdrLen = b.getInt(4);
        typeStart = hdrLen + b.getInt(8);
        typeLen = b.getInt(12);
        strStart = hdrLen + b.getInt(16);
        strLen = b.getInt(20);
        types = ByteBuffer.wrap(btf.clone(), typeStart, typeLen).slice().order(ByteOrder.LITTLE_ENDIAN);
        offsets.add(-1);
        int p = 0;
        while (p < typeLen) {
            offsets.add(p);
            int info = types.getInt(p + 4);
            int vlen = info & 0xffff, kind = (info >>> 24) & 0x1f;
            p += 12 + switch (kind) {
                case KIND_INT, KIND_VAR, KIND_DECL_TAG -> 4;
                case KIND_ARRAY -> 12;
                case KIND_STRUCT, KIND_UNION, KIND_DATASEC, KIND_ENUM64 -> 12 * vlen;
                case KIND_ENUM, KIND_FUNC_PROTO -> 8 * vlen;
                default -> 0;
            };
        }
    }

    private int kind(int id) {
        return (types.getInt(offsets.get(id) + 4) >>> 24) & 0x1f;
    }

    private int vlen(int id) {
        return types.getInt(offsets.get(id) + 4) & 0xffff;
    }

    private String str(int off) {
        if (off < 0 || off >= strLen) return "";
        int s = strStart + off, e = s;
        while (e < strStart + strLen && original[e] != 0) e++;
        return new String(original, s, e - s, StandardCharsets.UTF_8);
    }

    private String name(int id) {
        return str(types.getInt(offsets.get(id)));
    }

    private int ref(int id) {
        return types.getInt(offsets.get(id) + 8);
    }

    private int skipModifiers(int id) {
        for (int d = 0; d < 32 && id > 0 && id < offsets.size(); d++) {
            int k = kind(id);
            if (k != KIND_TYPEDEF && k != KIND_VOLATILE && k != KIND_CONST && k != KIND_RESTRICT && k != KIND_TYPE_TAG) return id;
            id = ref(id);
        }
        throw new ObjectFormatException(".BTF modifier chain too deep or broken");
    }

    /** @return the type id of the DATASEC named {@code name}, or -1 */
    int datasec(String name) {
        for (int id = 1; id < offsets.size(); id++) if (kind(id) == KIND_DATASEC && name(id).equals(name)) return id;
        return -1;
    }

    /** Renames a DATASEC to its name without the leading dot. */
    void dropLeadingDot(int datasecId) {
        int p = offsets.get(datasecId);
        types.putInt(p, types.getInt(p) + 1);
    }

    /** Byte offset (in the type section) of the struct member {@code member} of map {@code map} in {@code .maps}, or -1. */
    private int memberOffset(String map, String member) {
        int sec = datasec(".maps");
        if (sec < 0) throw new ObjectFormatException("no .maps DATASEC in .BTF");
        int p = offsets.get(sec);
        for (int i = 0; i < vlen(sec); i++) {
            int var = types.getInt(p + 12 + 12 * i);
            if (kind(var) != KIND_VAR || !name(var).equals(map)) continue;
            int def = skipModifiers(ref(var));
            if (kind(def) != KIND_STRUCT) throw new ObjectFormatException("map " + map + ": definition is not a struct");
            int q = offsets.get(def);
            for (int m = 0; m < vlen(def); m++) {
                if (str(types.getInt(q + 12 + 12 * m)).equals(member)) return q + 12 + 12 * m;
            }
            return -1;
        }
        throw new ObjectFormatException("map " + map + " not found in .maps BTF");
    }

    /**
     * Sets the number an {@code __uint(member, N)} encodes: points the member at a pointer to an
     * {@code int[N]} array, reusing such types when they exist, else appending them.
     *
     * @return false when the map has no such member (nothing changed)
     */
    boolean setUint(String map, String member, int value) {
        int m = memberOffset(map, member);
        if (m < 0) return false;
        int ptr = skipModifiers(types.getInt(m + 4));
        if (kind(ptr) != KIND_PTR) throw new ObjectFormatException("map " + map + ": member " + member + " is not a pointer");
        int arr = skipModifiers(ref(ptr));
        if (kind(arr) != KIND_ARRAY) throw new ObjectFormatException("map " + map + ": member " + member + " is not a pointer to an array");
        int a = offsets.get(arr);
        int elem = types.getInt(a + 12), index = types.getInt(a + 16);
        int found = -1;
        for (int id = 1; id < offsets.size() && found < 0; id++) {
            if (kind(id) != KIND_PTR || types.getInt(offsets.get(id)) != 0) continue;
            int t = ref(id);
            if (t <= 0 || t >= offsets.size() || kind(t) != KIND_ARRAY) continue;
            int q = offsets.get(t);
            if (types.getInt(q + 12) == elem && types.getInt(q + 16) == index && types.getInt(q + 20) == value) found = id;
        }
        if (found < 0) {
            int arrayId = offsets.size() + appendedCount;
            ByteBuffer b = ByteBuffer.allocate(24 + 12).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0).putInt(KIND_ARRAY << 24).putInt(0).putInt(elem).putInt(index).putInt(value);
            b.putInt(0).putInt(KIND_PTR << 24).putInt(arrayId);
            appended.writeBytes(b.array());
            appendedCount += 2;
            found = arrayId + 1;
        }
        types.putInt(m + 4, found);
        return true;
    }

    private int addString(String value) {
        int off = strLen + appendedStrings.size();
        appendedStrings.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        appendedStrings.write(0);
        return off;
    }

    private int append(ByteBuffer type, int count) {
        int id = offsets.size() + appendedCount;
        appended.writeBytes(type.array());
        appendedCount += count;
        return id;
    }

    /** @return the id of a pointer to {@code int[n]} (appended) */
    private int ptrToIntArray(int intType, int n) {
        ByteBuffer b = ByteBuffer.allocate(24 + 12).order(ByteOrder.LITTLE_ENDIAN);
        int arrayId = offsets.size() + appendedCount;
        b.putInt(0).putInt(KIND_ARRAY << 24).putInt(0).putInt(intType).putInt(intType).putInt(n);
        b.putInt(0).putInt(KIND_PTR << 24).putInt(arrayId);
        append(b, 2);
        return arrayId + 1;
    }

    /**
     * Appends a BTF map definition {@code struct { __uint(type, T); __uint(key_size, K); __uint(value_size, V);
     * __uint(max_entries, N); } name SEC(".maps")} at byte {@code offset} of {@code .maps} (32 bytes).
     */
    void addMap(String name, int mapType, int keySize, int valueSize, int maxEntries, int offset) {
        int sec = datasec(".maps");
        if (sec < 0) throw new ObjectFormatException("no .maps DATASEC in .BTF");
        int intType = -1;
        for (int id = 1; id < offsets.size() && intType < 0; id++) {
            if (kind(id) == KIND_INT && name(id).equals("int") && types.getInt(offsets.get(id) + 8) == 4) intType = id;
        }
        if (intType < 0) {
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(addString("int")).putInt(KIND_INT << 24).putInt(4).putInt(0x01000020);
            intType = append(b, 1);
        }
        String[] members = {"type", "key_size", "value_size", "max_entries"};
        int[] values = {mapType, keySize, valueSize, maxEntries};
        int[] ptrs = new int[4];
        for (int i = 0; i < 4; i++) ptrs[i] = ptrToIntArray(intType, values[i]);
        ByteBuffer st = ByteBuffer.allocate(12 + 12 * 4).order(ByteOrder.LITTLE_ENDIAN);
        st.putInt(0).putInt((KIND_STRUCT << 24) | 4).putInt(32);
        for (int i = 0; i < 4; i++) st.putInt(addString(members[i])).putInt(ptrs[i]).putInt(64 * i);
        int structId = append(st, 1);
        ByteBuffer var = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        var.putInt(addString(name)).putInt(KIND_VAR << 24).putInt(structId).putInt(1);
        int varId = append(var, 1);
        ByteBuffer entry = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        entry.putInt(varId).putInt(offset).putInt(32);
        datasecAdds.computeIfAbsent(sec, k -> new ByteArrayOutputStream()).writeBytes(entry.array());
    }

    /** @return the edited section */
    byte[] bytes() {
        byte[] extra = appended.toByteArray();
        byte[] strs = appendedStrings.toByteArray();
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        for (int id = 1; id < offsets.size(); id++) {
            int p = offsets.get(id), e = id + 1 < offsets.size() ? offsets.get(id + 1) : typeLen;
            byte[] one = new byte[e - p];
            types.get(p, one);
            ByteArrayOutputStream add = datasecAdds.get(id);
            if (add != null) {
                ByteBuffer h = ByteBuffer.wrap(one).order(ByteOrder.LITTLE_ENDIAN);
                int n = add.size() / 12;
                h.putInt(4, h.getInt(4) + n);
                if (h.getInt(8) != 0) h.putInt(8, h.getInt(8) + 32 * n);
            }
            t.writeBytes(one);
            if (add != null) t.writeBytes(add.toByteArray());
        }
        int tl = t.size() + extra.length;
        ByteBuffer out = ByteBuffer.allocate(hdrLen + tl + strLen + strs.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(original, 0, hdrLen);
        out.put(t.toByteArray()).put(extra).put(original, strStart, strLen).put(strs);
        out.putInt(8, 0).putInt(12, tl).putInt(16, tl).putInt(20, strLen + strs.length);
        return out.array();
    }
}

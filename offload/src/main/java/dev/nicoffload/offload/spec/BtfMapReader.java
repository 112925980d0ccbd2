package dev.nicoffload.offload.spec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the BTF-defined maps of a {@code .maps} data section: each variable is a struct whose
 * members encode the map attributes the way libbpf's {@code __uint}/{@code __type} macros do
 * ({@code int (*name)[value]} for numbers, {@code T *key} for types).
 */
final class BtfMapReader {
    private static final int KIND_INT = 1, KIND_PTR = 2, KIND_ARRAY = 3, KIND_STRUCT = 4, KIND_UNION = 5,
            KIND_ENUM = 6, KIND_FWD = 7, KIND_TYPEDEF = 8, KIND_VOLATILE = 9, KIND_CONST = 10, KIND_RESTRICT = 11,
            KIND_FUNC = 12, KIND_FUNC_PROTO = 13, KIND_VAR = 14, KIND_DATASEC = 15, KIND_FLOAT = 16,
            KIND_DECL_TAG = 17, KIND_TYPE_TAG = 18, KIND_ENUM64 = 19;
    private static final int MAX_RESOLVE_DEPTH = 32;

    private final ByteBuffer buf;
    private final int strStart, strLen;
    /** Offset of each type's header, indexed by type id (index 0 unused). */
    private final List<Integer> typeOffsets = new ArrayList<>();

    BtfMapReader(byte[] bytes, int offset, int size, ByteOrder order) {
        this.buf = ByteBuffer.wrap(bytes, offset, size).slice().order(order);
        if (size < 24) throw new ObjectFormatException(".BTF too short (" + size + " bytes)");
        int magic = buf.getShort(0) & 0xffff;
        if (magic != 0xeb9f) throw new ObjectFormatException(".BTF has bad magic 0x" + Integer.toHexString(magic));
        int hdrLen = buf.getInt(4);
        int typeOff = buf.getInt(8), typeLen = buf.getInt(12), strOff = buf.getInt(16), strLen = buf.getInt(20);
        long typesStart = (long) hdrLen + typeOff, typesEnd = typesStart + typeLen;
        long sStart = (long) hdrLen + strOff;
        if (hdrLen < 24 || typeOff < 0 || typeLen < 0 || strOff < 0 || strLen < 0 || typesEnd > size || sStart + strLen > size) {
            throw new ObjectFormatException(".BTF header points outside the section");
        }
        this.strStart = (int) sStart;
        this.strLen = strLen;
        typeOffsets.add(-1);
        int p = (int) typesStart;
        while (p < typesEnd) {
            if (p + 12 > typesEnd) throw new ObjectFormatException(".BTF type " + typeOffsets.size() + " is truncated");
            typeOffsets.add(p);
            int info = buf.getInt(p + 4);
            int vlen = info & 0xffff;
            int kind = (info >>> 24) & 0x1f;
            p += 12 + switch (kind) {
                case KIND_INT, KIND_VAR, KIND_DECL_TAG -> 4;
                case KIND_ARRAY -> 12;
                case KIND_STRUCT, KIND_UNION, KIND_DATASEC, KIND_ENUM64 -> 12 * vlen;
                case KIND_ENUM, KIND_FUNC_PROTO -> 8 * vlen;
                case KIND_PTR, KIND_FWD, KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_FUNC,
                     KIND_FLOAT, KIND_TYPE_TAG -> 0;
                default -> throw new ObjectFormatException(".BTF type " + (typeOffsets.size() - 1) + " has unknown kind " + kind);
            };
        }
        if (p != typesEnd) throw new ObjectFormatException(".BTF type section is truncated");
    }

    /**
     * Checks that every type's name and every type id a type refers to lie inside this BTF (libbpf
     * 1.1 dereferences them unchecked while opening an object).
     */
    void checkReferences() {
        for (int id = 1; id < typeOffsets.size(); id++) {
            int p = typeOffsets.get(id);
            str(buf.getInt(p));
            int kind = kind(id);
            int vlen = vlen(id);
            switch (kind) {
                case KIND_PTR, KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_FUNC, KIND_TYPE_TAG, KIND_VAR,
                     KIND_DECL_TAG, KIND_FUNC_PROTO -> checkId(buf.getInt(p + 8));
                case KIND_ARRAY -> {
                    checkId(buf.getInt(p + 12));
                    checkId(buf.getInt(p + 16));
                }
                default -> { }
            }
            for (int i = 0; i < vlen; i++) {
                switch (kind) {
                    case KIND_STRUCT, KIND_UNION -> {
                        str(buf.getInt(p + 12 + 12 * i));
                        checkId(buf.getInt(p + 16 + 12 * i));
                    }
                    case KIND_DATASEC -> checkId(buf.getInt(p + 12 + 12 * i));
                    case KIND_FUNC_PROTO -> {
                        str(buf.getInt(p + 12 + 8 * i));
                        checkId(buf.getInt(p + 16 + 8 * i));
                    }
                    case KIND_ENUM -> str(buf.getInt(p + 12 + 8 * i));
                    case KIND_ENUM64 -> str(buf.getInt(p + 12 + 12 * i));
                    default -> { }
                }
            }
        }
    }

    List<MapSpec> mapsInDatasec(String secName) {
        List<MapSpec> out = new ArrayList<>();
        for (int id = 1; id < typeOffsets.size(); id++) {
            if (kind(id) != KIND_DATASEC || !name(id).equals(secName)) continue;
            int p = typeOffsets.get(id);
            for (int i = 0; i < vlen(id); i++) {
                int varId = buf.getInt(p + 12 + 12 * i);
                checkId(varId);
                if (kind(varId) != KIND_VAR) throw new ObjectFormatException(secName + " entry " + i + " is not a variable");
                int linkage = buf.getInt(typeOffsets.get(varId) + 12);
                if (linkage != 1) { // libbpf 1.1 parse_btf_map_def: only BTF_VAR_GLOBAL_ALLOCATED
                    throw new ObjectFormatException("map '" + name(varId) + "': unsupported map linkage "
                            + (linkage == 0 ? "static" : linkage == 2 ? "extern" : String.valueOf(linkage)) + " (libbpf refuses it at open)");
                }
                out.add(mapFromVar(name(varId), typeRef(varId)));
            }
        }
        return out;
    }

    /**
     * Whether the DATASEC named {@code secName} holds a variable that is not {@code static} (libbpf
     * 1.1's {@code map_is_mmapable}: only then does a global data map get {@code BPF_F_MMAPABLE}).
     *
     * @return false also when there is no such DATASEC
     */
    boolean datasecHasGlobalVariable(String secName) {
        for (int id = 1; id < typeOffsets.size(); id++) {
            if (kind(id) != KIND_DATASEC || !name(id).equals(secName)) continue;
            int p = typeOffsets.get(id);
            for (int i = 0; i < vlen(id); i++) {
                int varId = buf.getInt(p + 12 + 12 * i);
                checkId(varId);
                if (kind(varId) == KIND_VAR && buf.getInt(typeOffsets.get(varId) + 12) != 0) return true;
            }
            return false;
        }
        return false;
    }

    private MapSpec mapFromVar(String name, int typeId) {
        int def = skipModifiers(typeId);
        if (kind(def) != KIND_STRUCT) throw new ObjectFormatException("map " + name + ": definition is not a struct");
        int type = 0, keySize = 0, valueSize = 0, maxEntries = 0, flags = 0, numa = -1, pinning = 0;
        int keyType = -1, valueType = -1;
        boolean values = false;
        int p = typeOffsets.get(def);
        for (int i = 0; i < vlen(def); i++) {
            int m = p + 12 + 12 * i;
            String member = str(buf.getInt(m));
            int mtype = buf.getInt(m + 4);
            checkId(mtype);
            switch (member) {
                case "type" -> type = uintMember(name, member, mtype);
                case "max_entries" -> maxEntries = uintMember(name, member, mtype);
                case "map_flags" -> flags = uintMember(name, member, mtype);
                case "numa_node" -> numa = uintMember(name, member, mtype);
                case "key_size" -> keySize = uintMember(name, member, mtype);
                case "value_size" -> valueSize = uintMember(name, member, mtype);
                case "pinning" -> pinning = uintMember(name, member, mtype);
                case "key" -> keyType = pointeeSize(name, member, mtype);
                case "value" -> valueType = pointeeSize(name, member, mtype);
                case "values" -> values = true;
                case "map_extra" -> { /* not needed for specs */ }
                default -> throw new ObjectFormatException("map '" + name + "': unknown field '" + member + "' (libbpf refuses it at open)");
            }
        }
        // libbpf 1.1 parse_btf_map_def: a size given twice must agree; pinning is none or by name
        if (keyType >= 0 && keySize != 0 && keySize != keyType) {
            throw new ObjectFormatException("map '" + name + "': conflicting key size " + keySize + " != " + keyType + " (libbpf refuses it at open)");
        }
        if (valueType >= 0 && valueSize != 0 && valueSize != valueType) {
            throw new ObjectFormatException("map '" + name + "': conflicting value size " + valueSize + " != " + valueType + " (libbpf refuses it at open)");
        }
        if (keyType >= 0) keySize = keyType;
        if (valueType >= 0) valueSize = valueType;
        if (pinning != 0 && pinning != 1) {
            throw new ObjectFormatException("map '" + name + "': invalid pinning value " + pinning + " (libbpf refuses it at open)");
        }
        if (values && type != 12 && type != 13 && type != 3) {
            throw new ObjectFormatException("map '" + name + "': should be map-in-map or prog-array to have 'values' (libbpf refuses it at open)");
        }
        return new MapSpec(name, ElfObjectReader.mapType(type, name), keySize, valueSize, maxEntries, flags, numa, pinning, false);
    }

    /** {@code int (*member)[N]}: returns N. */
    private int uintMember(String map, String member, int typeId) {
        int ptr = skipModifiers(typeId);
        if (kind(ptr) != KIND_PTR) throw new ObjectFormatException("map " + map + ": member " + member + " is not a pointer");
        int arr = skipModifiers(typeRef(ptr));
        if (kind(arr) != KIND_ARRAY) throw new ObjectFormatException("map " + map + ": member " + member + " is not a pointer to an array");
        return buf.getInt(typeOffsets.get(arr) + 12 + 8);
    }

    private int pointeeSize(String map, String member, int typeId) {
        int ptr = skipModifiers(typeId);
        if (kind(ptr) != KIND_PTR) throw new ObjectFormatException("map " + map + ": member " + member + " is not a pointer");
        long size = sizeOf(typeRef(ptr), 0);
        if (size > Integer.MAX_VALUE) throw new ObjectFormatException("map " + map + ": " + member + " size too large");
        return (int) size;
    }

    private long sizeOf(int id, int depth) {
        if (depth > MAX_RESOLVE_DEPTH) throw new ObjectFormatException(".BTF type chain too deep at type " + id);
        checkId(id);
        if (id == 0) return 0;
        return switch (kind(id)) {
            case KIND_INT, KIND_STRUCT, KIND_UNION, KIND_ENUM, KIND_ENUM64, KIND_FLOAT, KIND_DATASEC -> buf.getInt(typeOffsets.get(id) + 8) & 0xffffffffL;
            case KIND_PTR -> 8;
            case KIND_ARRAY -> {
                int p = typeOffsets.get(id);
                yield sizeOf(buf.getInt(p + 12), depth + 1) * (buf.getInt(p + 20) & 0xffffffffL);
            }
            case KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG, KIND_VAR -> sizeOf(typeRef(id), depth + 1);
            default -> throw new ObjectFormatException(".BTF type " + id + " has no size");
        };
    }

    private int skipModifiers(int id) {
        for (int d = 0; d < MAX_RESOLVE_DEPTH; d++) {
            checkId(id);
            int k = kind(id);
            if (k != KIND_TYPEDEF && k != KIND_VOLATILE && k != KIND_CONST && k != KIND_RESTRICT && k != KIND_TYPE_TAG) return id;
            id = typeRef(id);
        }
        throw new ObjectFormatException(".BTF modifier chain too deep");
    }

    private void checkId(int id) {
        if (id < 0 || id >= typeOffsets.size()) throw new ObjectFormatException(".BTF type id " + id + " out of range");
    }

    private int kind(int id) {
        if (id == 0) return 0;
        return (buf.getInt(typeOffsets.get(id) + 4) >>> 24) & 0x1f;
    }

    private int vlen(int id) {
        return buf.getInt(typeOffsets.get(id) + 4) & 0xffff;
    }

    private int typeRef(int id) {
        int t = buf.getInt(typeOffsets.get(id) + 8);
        checkId(t);
        return t;
    }

    private String name(int id) {
        return str(buf.getInt(typeOffsets.get(id)));
    }

    private String str(int off) {
        if (off < 0 || off >= strLen) {
            if (off == 0) return "";
            throw new ObjectFormatException(".BTF string offset " + off + " out of range");
        }
        int start = strStart + off, end = start, limit = strStart + strLen;
        while (end < limit && buf.get(end) != 0) end++;
        byte[] b = new byte[end - start];
        buf.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }
}

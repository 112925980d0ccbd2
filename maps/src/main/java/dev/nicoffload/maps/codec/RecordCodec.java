package dev.nicoffload.maps.codec;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Codecs#record}: the record's components become the members of a C struct whose offsets
 * come from a {@link StructLayout} built with natural alignment (layout arithmetic only: no native
 * memory is touched), then each member is read or written at its offset.
 */
final class RecordCodec<R extends Record> implements Codec<R> {

    private final Class<R> type;
    private final StructLayout layout;
    private final Class<?>[] kinds;
    private final int[] offsets;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;

    private RecordCodec(Class<R> type, StructLayout layout, Class<?>[] kinds, int[] offsets,
                        MethodHandle[] accessors, MethodHandle constructor) {
        this.type = type;
        this.layout = layout;
        this.kinds = kinds;
        this.offsets = offsets;
        this.accessors = accessors;
        this.constructor = constructor;
    }

    static <R extends Record> RecordCodec<R> of(Class<R> type, MethodHandles.Lookup lookup) {
        if (type == null || !type.isRecord()) {
            throw new IllegalArgumentException("not a record class: " + type);
        }
        RecordComponent[] components = type.getRecordComponents();
        if (components.length == 0) {
            throw new IllegalArgumentException("record " + type.getName() + " has no components");
        }
        List<MemoryLayout> members = new ArrayList<>();
        long offset = 0;
        long maxAlign = 1;
        Class<?>[] kinds = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            ValueLayout member = memberLayout(type, components[i].getName(), t);
            long align = member.byteAlignment();
            long padded = (offset + align - 1) / align * align;
            if (padded > offset) {
                members.add(MemoryLayout.paddingLayout(padded - offset));
            }
            members.add(member.withName(components[i].getName()));
            offset = padded + member.byteSize();
            maxAlign = Math.max(maxAlign, align);
            kinds[i] = t;
        }
        long total = (offset + maxAlign - 1) / maxAlign * maxAlign;
        if (total > offset) {
            members.add(MemoryLayout.paddingLayout(total - offset));
        }
        StructLayout layout = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new));
        int[] offsets = new int[components.length];
        MethodHandle[] accessors = new MethodHandle[components.length];
        Class<?>[] ctorTypes = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                offsets[i] = (int) layout.byteOffset(MemoryLayout.PathElement.groupElement(components[i].getName()));
                accessors[i] = lookup.unreflect(components[i].getAccessor());
                ctorTypes[i] = kinds[i];
            }
            MethodHandle ctor = lookup.unreflectConstructor(type.getDeclaredConstructor(ctorTypes));
            return new RecordCodec<>(type, layout, kinds, offsets, accessors, ctor);
        } catch (ReflectiveOperationException | IllegalAccessError e) {
            throw new IllegalArgumentException("cannot reach the constructor and accessors of record " + type.getName()
                    + ": make it public in an exported package, or pass your MethodHandles.lookup(): " + e.getMessage(), e);
        }
    }

    private static ValueLayout memberLayout(Class<?> record, String name, Class<?> t) {
        if (t == byte.class || t == boolean.class) {
            return ValueLayout.JAVA_BYTE;
        } else if (t == short.class) {
            return ValueLayout.JAVA_SHORT;
        } else if (t == char.class) {
            return ValueLayout.JAVA_CHAR;
        } else if (t == int.class) {
            return ValueLayout.JAVA_INT;
        } else if (t == long.class) {
            return ValueLayout.JAVA_LONG;
        } else if (t == float.class) {
            return ValueLayout.JAVA_FLOAT;
        } else if (t == double.class) {
            return ValueLayout.JAVA_DOUBLE;
        }
        throw new IllegalArgumentException("component '" + name + "' of record " + record.getName() + " has type "
                + t.getName() + ": only primitive components can be laid out as a C struct");
    }

    @Override
    public int size() {
        return (int) layout.byteSize();
    }

    @Override
    public void encode(R value, ByteBuffer out) {
        for (int i = 0; i < kinds.length; i++) {
            Object v;
            try {
                v = accessors[i].invoke(value);
            } catch (Throwable t) {
                throw new IllegalStateException("cannot read a component of " + type.getName(), t);
            }
            int at = offsets[i];
            Class<?> k = kinds[i];
            if (k == byte.class) {
                out.put(at, (Byte) v);
            } else if (k == boolean.class) {
                out.put(at, (byte) ((Boolean) v ? 1 : 0));
            } else if (k == short.class) {
                out.putShort(at, (Short) v);
            } else if (k == char.class) {
                out.putChar(at, (Character) v);
            } else if (k == int.class) {
                out.putInt(at, (Integer) v);
            } else if (k == long.class) {
                out.putLong(at, (Long) v);
            } else if (k == float.class) {
                out.putFloat(at, (Float) v);
            } else {
                out.putDouble(at, (Double) v);
            }
        }
    }

    @Override
    public R decode(ByteBuffer in) {
        Object[] args = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            int at = offsets[i];
            Class<?> k = kinds[i];
            if (k == byte.class) {
                args[i] = in.get(at);
            } else if (k == boolean.class) {
                args[i] = in.get(at) != 0;
            } else if (k == short.class) {
                args[i] = in.getShort(at);
            } else if (k == char.class) {
                args[i] = in.getChar(at);
            } else if (k == int.class) {
                args[i] = in.getInt(at);
            } else if (k == long.class) {
                args[i] = in.getLong(at);
            } else if (k == float.class) {
                args[i] = in.getFloat(at);
            } else {
                args[i] = in.getDouble(at);
            }
        }
        try {
            return type.cast(constructor.invokeWithArguments(args));
        } catch (Throwable t) {
            throw new IllegalArgumentException("cannot build " + type.getName() + " from map bytes: " + t.getMessage(), t);
        }
    }

    @Override
    public String toString() {
        return "record " + type.getSimpleName() + " as " + layout;
    }
}

package dev.nicoffload.offload.spec;

import dev.nicoffload.jit.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a BPF ELF object (clang {@code -target bpf} output) holds, read in pure Java without loading
 * anything: its programs and maps. Immutable; the {@code with*} methods return changed copies so a
 * spec can be adjusted before load.
 *
 * <p>The reader does the relocations that decide what the kernel sees: map references (BTF
 * {@code .maps} and legacy {@code maps}), global data references ({@code .data}, {@code .rodata*},
 * {@code .bss}, {@code .kconfig} become libbpf's internal array maps), bpf-to-bpf calls and callback
 * references (subprograms of {@code .text} appended per program, immediates fixed). It does not
 * apply CO-RE relocations from {@code .BTF.ext} (instructions keep their compile-time offsets) and
 * does not resolve {@code __ksym}/{@code __kconfig} externs (their instructions name the extern in
 * {@link Instruction#reference()}).
 *
 * @param programs the entry programs, in section order
 * @param maps     the maps, BTF-defined and legacy first, then global data sections
 * @param license  the {@code license} section string ("" when absent)
 */
public record ObjectSpec(List<ProgramSpec> programs, List<MapSpec> maps, String license) {

    /** Copies the lists. */
    public ObjectSpec {
        programs = List.copyOf(programs);
        maps = List.copyOf(maps);
        Objects.requireNonNull(license, "license");
    }

    /** The largest BPF object read from a file or stream: {@value #MAX_OBJECT_BYTES} bytes (64 MiB). */
    public static final int MAX_OBJECT_BYTES = InputFiles.MAX_BYTES;

    /**
     * @param file a BPF ELF object
     * @return its spec
     * @throws ObjectFormatException if the file cannot be read (see {@link #readBytes(Path)}) or is not a valid BPF object
     */
    public static ObjectSpec read(Path file) {
        byte[] bytes = readBytes(file);
        try {
            return parse(bytes);
        } catch (ObjectFormatException e) {
            throw new ObjectFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a BPF object file with a bound, as every reader of object files in nicoffload does
     * ({@code NicOffload.load}, the pre-checker, the CLI): only a regular file is read (a device
     * such as {@code /dev/zero}, a FIFO or a socket is refused before it is opened), and at most
     * {@link #MAX_OBJECT_BYTES} (64 MiB).
     *
     * @param file a BPF ELF object file
     * @return its bytes
     * @throws ObjectFormatException when the file is missing, a directory, not a regular file,
     *                               larger than 64 MiB or unreadable; the message names the file and says which
     */
    public static byte[] readBytes(Path file) {
        try {
            return InputFiles.read(file);
        } catch (IOException e) {
            throw new ObjectFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a BPF object from a stream to its end, with the bound of {@link #readBytes(Path)}.
     *
     * @param in the stream (not closed)
     * @return its bytes
     * @throws ObjectFormatException when the stream holds more than 64 MiB or fails
     */
    public static byte[] readBytes(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_OBJECT_BYTES + 1);
            if (bytes.length > MAX_OBJECT_BYTES) {
                throw new ObjectFormatException("BPF object stream is larger than the " + InputFiles.MAX_TEXT + " input limit; not read");
            }
            return bytes;
        } catch (IOException e) {
            throw new ObjectFormatException("cannot read the BPF object stream: " + e.getMessage(), e);
        }
    }

    /**
     * @param elf the bytes of a BPF ELF object
     * @return its spec
     * @throws ObjectFormatException if the bytes are not a valid BPF object
     */
    public static ObjectSpec parse(byte[] elf) {
        return new ElfObjectReader(elf).read();
    }

    /**
     * Checks only the structure of a BPF ELF object (header, section table, symbols, relocations,
     * BTF type and string references), as the loader does before handing bytes to libbpf, which
     * does not check all of them itself.
     *
     * @param elf the bytes of a BPF ELF object
     * @throws ObjectFormatException if the structure is broken
     */
    public static void checkStructure(byte[] elf) {
        new ElfObjectReader(elf).checkStructure();
    }

    /** @param name a program name @return the program of that name */
    public Optional<ProgramSpec> program(String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** @param name a map name @return the map of that name */
    public Optional<MapSpec> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * @param program a program of this object
     * @return the maps its instructions reference, in first-use order
     */
    public List<MapSpec> mapsUsedBy(ProgramSpec program) {
        List<MapSpec> out = new ArrayList<>();
        for (Instruction i : program.instructions()) {
            if (i.isLdImm64() && i.reference() != null) {
                map(i.reference()).filter(m -> !out.contains(m)).ifPresent(out::add);
            }
        }
        return out;
    }

    /**
     * @param replacement a map spec whose name matches an existing map
     * @return a copy with that map replaced
     * @throws IllegalArgumentException if no map has that name
     */
    public ObjectSpec withMap(MapSpec replacement) {
        return new ObjectSpec(programs, replaced(maps, replacement, MapSpec::name, "map"), license);
    }

    /**
     * @param replacement a program spec whose name matches an existing program
     * @return a copy with that program replaced
     * @throws IllegalArgumentException if no program has that name
     */
    public ObjectSpec withProgram(ProgramSpec replacement) {
        return new ObjectSpec(replaced(programs, replacement, ProgramSpec::name, "program"), maps, license);
    }

    private static <T> List<T> replaced(List<T> list, T replacement, java.util.function.Function<T, String> name, String what) {
        List<T> copy = new ArrayList<>(list);
        for (int i = 0; i < copy.size(); i++) {
            if (name.apply(copy.get(i)).equals(name.apply(replacement))) {
                copy.set(i, replacement);
                return copy;
            }
        }
        throw new IllegalArgumentException("no " + what + " named " + name.apply(replacement));
    }
}

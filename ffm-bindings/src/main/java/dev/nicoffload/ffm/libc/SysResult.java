package dev.nicoffload.ffm.libc;

/**
 * What a libc call returned and the {@code errno} it left, captured by the downcall itself
 * ({@code Linker.Option.captureCallState("errno")}), so later JVM activity cannot overwrite it.
 *
 * @param value the C return value (sign-extended to long)
 * @param errno the errno captured right after the call; meaningful only when {@link #failed()}
 */
public record SysResult(long value, int errno) {

    /** True when the call reported failure by returning a negative value. */
    public boolean failed() {
        return value < 0;
    }

    /** The return value as an int (fds, byte counts that fit, status codes). */
    public int intValue() {
        return (int) value;
    }
}

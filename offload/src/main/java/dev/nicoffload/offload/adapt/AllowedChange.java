package dev.nicoffload.offload.adapt;

import java.util.Arrays;

/**
 * Transformations that change what a program does and therefore run only when the user allows them
 * ({@code --allow} on the command line, {@link AdaptOptions#allowing(AllowedChange...)} in the API).
 */
public enum AllowedChange {
    /** {@code LRU_HASH} → {@code HASH} (and {@code LRU_PERCPU_HASH} → {@code HASH}): no eviction; updates fail when full. */
    LRU_TO_HASH("lru-to-hash"),
    /** {@code TC_ACT_OK} (0) → {@code TC_ACT_UNSPEC} (-1) on the return paths of TC programs: equal only when the program is the last filter on its hook. */
    TC_OK_TO_UNSPEC("tc-ok-to-unspec");

    private final String cliName;

    AllowedChange(String cliName) {
        this.cliName = cliName;
    }

    /** @return the command-line name ({@code lru-to-hash}, {@code tc-ok-to-unspec}) */
    public String cliName() {
        return cliName;
    }

    /**
     * @param name a command-line name
     * @return the change of that name
     * @throws IllegalArgumentException if there is none
     */
    public static AllowedChange ofCliName(String name) {
        for (AllowedChange c : values()) {
            if (c.cliName.equals(name)) return c;
        }
        throw new IllegalArgumentException("unknown change " + name + " (known: "
                + String.join(", ", Arrays.stream(values()).map(AllowedChange::cliName).toList()) + ")");
    }
}

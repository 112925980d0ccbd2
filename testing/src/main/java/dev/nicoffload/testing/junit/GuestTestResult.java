package dev.nicoffload.testing.junit;

import java.time.Duration;

/**
 * One test as the JUnit run in the guest reported it.
 *
 * @param className  the test class
 * @param testName   the test (method name with parameters, or display name)
 * @param outcome    how it ended
 * @param message    the failure or skip message, empty when it passed
 * @param detail     the failure's stack trace as printed in the guest, empty when it passed
 * @param duration   how long it ran in the guest
 */
public record GuestTestResult(String className, String testName, Outcome outcome, String message, String detail, Duration duration) {
    /** How a guest test ended. */
    public enum Outcome {
        /** Passed. */
        PASSED,
        /** An assertion failed. */
        FAILED,
        /** An unexpected exception. */
        ERROR,
        /** Skipped or aborted (an assumption did not hold); never counted as passing. */
        SKIPPED
    }
}

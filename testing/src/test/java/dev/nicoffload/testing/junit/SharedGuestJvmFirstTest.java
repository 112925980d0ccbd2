package dev.nicoffload.testing.junit;

import org.junit.jupiter.api.Test;

/**
 * One of two {@code @NetdevsimTest} classes (with {@link SharedGuestJvmSecondTest}) that must run in one
 * guest JVM: see {@link GuestJvmIdentity#assertOneJvm}. Reported on the host as a class of its own.
 */
@NetdevsimTest
class SharedGuestJvmFirstTest {
    @Test
    void runsInTheJvmOfEveryOtherAnnotatedClass() throws Exception {
        GuestJvmIdentity.assertOneJvm(getClass().getSimpleName());
    }
}

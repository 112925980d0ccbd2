package dev.nicoffload.testing.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Guest failures and skips come back to the host as failures and skips, with the guest's message. */
class NetdevsimExtensionReplayTest {
    @Test
    void guestFailuresFailOnTheHostAndSkipsStaySkips() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(GuestOutcomes.class)).execute();
        var tests = results.testEvents();
        assertEquals(1, tests.succeeded().count(), "passing guest test");
        assertEquals(1, tests.failed().count(), "failing guest test");
        assertEquals(1, tests.aborted().count(), "aborted guest test");
        Event failed = tests.failed().list().get(0);
        Throwable t = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(t.getMessage().contains("[in guest]") && t.getMessage().contains("expected: <1> but was: <2>"), t.getMessage());
    }

    /** Run only through the test kit above (Surefire skips nested classes). */
    @NetdevsimTest
    static class GuestOutcomes {
        @Test
        void passes() {
            assertTrue(System.getenv("NICOFFLOAD_IN_GUEST") != null);
        }

        @Test
        void fails() {
            assertEquals(1, System.getenv("NICOFFLOAD_IN_GUEST") != null ? 2 : 1);
        }

        @Test
        void aborts() {
            Assumptions.assumeTrue(System.getenv("NICOFFLOAD_IN_GUEST") == null, "only on the host");
        }
    }
}

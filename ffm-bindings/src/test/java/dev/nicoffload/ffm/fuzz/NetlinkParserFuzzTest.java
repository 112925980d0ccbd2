package dev.nicoffload.ffm.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.ffm.netlink.NetlinkFormatException;
import dev.nicoffload.ffm.netlink.NlAttr;
import dev.nicoffload.ffm.netlink.NlAttrs;
import dev.nicoffload.ffm.netlink.NlMessage;
import dev.nicoffload.ffm.netlink.NlReplyCollector;
import dev.nicoffload.ffm.netlink.TcCodec;
import org.junit.jupiter.api.AfterAll;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for the netlink parser: a received datagram is split into messages, their attributes
 * (nested ones too) are parsed, the TC codec reads filters and qdiscs from them, and the reply
 * collector takes them. The only declared failure is {@link NetlinkFormatException}. Committed inputs
 * run under plain JUnit; {@code JAZZER_FUZZ=1} fuzzes.
 */
class NetlinkParserFuzzTest {

    /** Inputs run through a target in this JVM; a build's fuzzing run must reach {@code nicoffload.fuzz.minRuns} (pom.xml). */
    private static final LongAdder RUNS = new LongAdder();

    @AfterAll
    static void aFuzzingRunFuzzed() {
        assertTrue(RUNS.sum() >= Long.getLong("nicoffload.fuzz.minRuns", 0), RUNS.sum() + " runs: Jazzer skipped the target or did not fuzz");
    }

    /** struct tcmsg / ifinfomsg precede the attributes of RTM_*TFILTER / RTM_*LINK messages. */
    private static final int FAMILY_HEADER = 16;
    private static final int MAX_DEPTH = 8;

    @FuzzTest(maxDuration = "30s")
    void parseDatagram(byte[] datagram) {
        RUNS.increment();
        try {
            List<NlMessage> messages = NlMessage.parseDatagram(datagram, datagram.length);
            for (NlMessage m : messages) {
                if (m.payload().length >= FAMILY_HEADER) {
                    walk(NlAttrs.parse(m.payload(), FAMILY_HEADER, m.payload().length, m.offset()), 0);
                }
            }
            TcCodec.parseFilters(messages);
            TcCodec.parseQdiscs(messages);
            new NlReplyCollector(messages.isEmpty() ? 0 : messages.get(0).seq(), true, 1 << 20).accept(messages);
        } catch (NetlinkFormatException expected) {
            // declared: a length or layout out of range
        }
    }

    private static void walk(NlAttrs attrs, int depth) {
        for (NlAttr a : attrs.list()) {
            if (depth < MAX_DEPTH && a.payload().length >= 4) {
                try {
                    walk(NlAttrs.parse(a.payload(), 0, a.payload().length, a.offset()), depth + 1);
                } catch (NetlinkFormatException notNested) {
                    // a leaf attribute read as nested: declared
                }
            }
        }
    }
}

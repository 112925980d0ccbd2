package dev.nicoffload.offload.adapt.equivalence;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The equivalence harness's packet set: deterministic per seed, and covering every shape it promises. */
class PacketSetTest {

    private static int etherType(byte[] p) {
        int t = (p[12] & 0xff) << 8 | (p[13] & 0xff);
        if ((t == 0x8100 || t == 0x88a8) && p.length >= 18) {
            t = (p[16] & 0xff) << 8 | (p[17] & 0xff);
        }
        return t;
    }

    private static int l3(byte[] p) {
        int t = (p[12] & 0xff) << 8 | (p[13] & 0xff);
        return t == 0x8100 || t == 0x88a8 ? 18 : 14;
    }

    @Test
    void sameSeedSamePacketsOtherSeedOthers() {
        List<byte[]> a = PacketSet.generate(7, 500);
        List<byte[]> b = PacketSet.generate(7, 500);
        List<byte[]> c = PacketSet.generate(8, 500);
        assertEquals(500, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertTrue(Arrays.equals(a.get(i), b.get(i)), "packet " + i);
        }
        assertFalse(java.util.stream.IntStream.range(6, 500).allMatch(i -> Arrays.equals(a.get(i), c.get(i))));
    }

    @Test
    void everyPromisedShapeOccursOften() {
        List<byte[]> set = PacketSet.generate(CorpusEquivalenceTest.SEED, CorpusEquivalenceTest.PACKETS);
        int shortFrames = 0, vlan = 0, qinq = 0, ipv4 = 0, ipv6 = 0, tcp = 0, udp = 0, icmp = 0, icmp6 = 0, arp = 0, frag = 0, options = 0;
        for (byte[] p : set) {
            if (p.length < 14) {
                shortFrames++;
                continue;
            }
            int outer = (p[12] & 0xff) << 8 | (p[13] & 0xff);
            vlan += outer == 0x8100 ? 1 : 0;
            qinq += outer == 0x88a8 ? 1 : 0;
            int t = etherType(p);
            int at = l3(p);
            if (t == 0x0806) arp++;
            if (t == 0x0800 && p.length >= at + 20) {
                ipv4++;
                int proto = p[at + 9] & 0xff;
                tcp += proto == 6 ? 1 : 0;
                udp += proto == 17 ? 1 : 0;
                icmp += proto == 1 ? 1 : 0;
                frag += ((p[at + 6] & 0x1f) << 8 | (p[at + 7] & 0xff)) != 0 ? 1 : 0;
                options += (p[at] & 0x0f) == 6 ? 1 : 0;
            }
            if (t == 0x86dd && p.length >= at + 40) {
                ipv6++;
                icmp6 += (p[at + 6] & 0xff) == 58 ? 1 : 0;
            }
        }
        String counts = "short " + shortFrames + " vlan " + vlan + " qinq " + qinq + " ipv4 " + ipv4 + " ipv6 " + ipv6 + " tcp " + tcp
                + " udp " + udp + " icmp " + icmp + " icmp6 " + icmp6 + " arp " + arp + " frag " + frag + " options " + options;
        for (int n : new int[] {shortFrames, vlan, qinq, tcp, udp, icmp, icmp6, arp, frag, options}) {
            assertTrue(n >= 20, counts);
        }
        assertTrue(ipv4 >= 500 && ipv6 >= 300, counts);
    }
}

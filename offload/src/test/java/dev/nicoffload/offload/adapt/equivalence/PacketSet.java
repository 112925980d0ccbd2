package dev.nicoffload.offload.adapt.equivalence;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic packet set for the equivalence harness: Ethernet frames (untagged, 802.1Q and
 * 802.1ad tagged) carrying IPv4 (with and without options, fragments, bad header lengths) and IPv6,
 * with TCP, UDP, ICMP and ICMPv6 (echo and other types), ARP and unknown EtherTypes, frames cut short
 * at every layer, and random garbage. Addresses and ports come from small pools so that flows repeat
 * (per-flow counters grow past one) and the interesting values (port 23 and 53, 10.0.0.0/8 sources,
 * the pre-populated sources {@link #WATCHED_SOURCES}) occur often.
 */
public final class PacketSet {

    /** IPv4 sources (host byte order) that occur in the set and that tests may pre-populate. */
    public static final int[] WATCHED_SOURCES = {0x0a000001, 0xc0a80107, 0xac100005};

    private static final int[] SOURCES = {0x0a000001, 0x0a010203, 0xc0a80107, 0xc0a80108, 0xac100005, 0x08080808, 0x01010101};
    private static final int[] DESTS = {0x0a0000fe, 0xc0a80101, 0x5db8d822};
    private static final int[] PORTS = {23, 53, 80, 443, 8080, 12345, 0};

    private final SplittableRandom random;

    private PacketSet(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * {@code count} packets from {@code seed}; the first ones are one of each main shape (IPv4 TCP,
     * IPv4 UDP, IPv4 ICMP, IPv6 TCP, IPv6 ICMPv6 echo request, VLAN IPv4 UDP), the rest drawn at random.
     */
    public static List<byte[]> generate(long seed, int count) {
        PacketSet g = new PacketSet(seed);
        List<byte[]> out = new ArrayList<>(count);
        out.add(g.frame(0, 0x0800, g.ipv4(6, SOURCES[0], DESTS[0], g.tcp(40000, 80, 20), false, 0)));
        out.add(g.frame(0, 0x0800, g.ipv4(17, SOURCES[2], DESTS[1], g.udp(5353, 53, 30), false, 0)));
        out.add(g.frame(0, 0x0800, g.ipv4(1, SOURCES[4], DESTS[2], g.icmp(8, 32), false, 0)));
        out.add(g.frame(0, 0x86dd, g.ipv6(6, g.tcp(40001, 443, 10))));
        out.add(g.frame(0, 0x86dd, g.ipv6(58, g.icmp(128, 16))));
        out.add(g.frame(0x8100, 0x0800, g.ipv4(17, SOURCES[1], DESTS[0], g.udp(1000, 23, 8), false, 0)));
        while (out.size() < count) {
            out.add(g.next());
        }
        return out.subList(0, count);
    }

    private byte[] next() {
        int shape = random.nextInt(100);
        if (shape < 6) {
            return garbage();
        }
        if (shape < 14) {
            return truncate(wellFormed());
        }
        return wellFormed();
    }

    private byte[] garbage() {
        byte[] b = new byte[random.nextInt(0, 160)];
        random.nextBytes(b);
        return b;
    }

    /** A well-formed frame cut at a random length (possibly inside the Ethernet header). */
    private byte[] truncate(byte[] frame) {
        int len = random.nextInt(0, frame.length);
        byte[] t = new byte[len];
        System.arraycopy(frame, 0, t, 0, len);
        return t;
    }

    private byte[] wellFormed() {
        int vlan = switch (random.nextInt(10)) {
            case 0, 1 -> 0x8100;
            case 2 -> 0x88a8;
            default -> 0;
        };
        int kind = random.nextInt(100);
        if (kind < 50) {
            return frame(vlan, 0x0800, ipv4Packet());
        }
        if (kind < 80) {
            return frame(vlan, 0x86dd, ipv6Packet());
        }
        if (kind < 90) {
            return frame(vlan, 0x0806, payload(28)); // ARP
        }
        return frame(vlan, random.nextInt(0x600, 0x10000), payload(random.nextInt(0, 80)));
    }

    private byte[] ipv4Packet() {
        int src = pick(SOURCES);
        int dst = pick(DESTS);
        boolean options = random.nextInt(8) == 0;
        int fragOff = random.nextInt(10) == 0 ? random.nextInt(1, 0x2000) : (random.nextInt(10) == 0 ? 0x2000 : 0);
        int r = random.nextInt(100);
        byte[] ip;
        if (r < 40) {
            ip = ipv4(6, src, dst, tcp(pickPort(), pickPort(), random.nextInt(0, 200)), options, fragOff);
        } else if (r < 75) {
            ip = ipv4(17, src, dst, udp(pickPort(), pickPort(), random.nextInt(0, 200)), options, fragOff);
        } else if (r < 92) {
            ip = ipv4(1, src, dst, icmp(random.nextInt(3) == 0 ? 0 : 8, random.nextInt(0, 64)), options, fragOff);
        } else {
            ip = ipv4(random.nextInt(256), src, dst, payload(random.nextInt(0, 40)), options, fragOff);
        }
        if (random.nextInt(25) == 0) {
            ip[0] = (byte) (0x40 | random.nextInt(0, 5)); // header length below 20 bytes: malformed
        }
        return ip;
    }

    private byte[] ipv6Packet() {
        int r = random.nextInt(100);
        if (r < 35) {
            return ipv6(6, tcp(pickPort(), pickPort(), random.nextInt(0, 200)));
        }
        if (r < 65) {
            return ipv6(17, udp(pickPort(), pickPort(), random.nextInt(0, 200)));
        }
        if (r < 92) {
            int type = switch (random.nextInt(4)) {
                case 0, 1 -> 128; // echo request
                case 2 -> 129;    // echo reply
                default -> 135;   // neighbour solicitation
            };
            return ipv6(58, icmp(type, random.nextInt(0, 64)));
        }
        return ipv6(random.nextInt(256), payload(random.nextInt(0, 40)));
    }

    private int pick(int[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    private int pickPort() {
        return random.nextInt(4) == 0 ? random.nextInt(1, 65536) : pick(PORTS);
    }

    private byte[] payload(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] frame(int vlanProto, int etherType, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, (byte) random.nextInt(1, 4)});
        if (vlanProto != 0) {
            be16(b, vlanProto);
            be16(b, random.nextInt(1, 4095));
        }
        be16(b, etherType);
        b.writeBytes(body);
        return b.toByteArray();
    }

    private byte[] ipv4(int proto, int src, int dst, byte[] l4, boolean options, int fragOff) {
        int hlen = options ? 24 : 20;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x40 | hlen / 4);
        b.write(0);
        be16(b, hlen + l4.length);
        be16(b, random.nextInt(65536));
        be16(b, fragOff);
        b.write(64);
        b.write(proto);
        be16(b, 0); // checksum: no program here checks it
        be32(b, src);
        be32(b, dst);
        if (options) {
            b.writeBytes(new byte[] {1, 1, 1, 0}); // NOP NOP NOP EOL
        }
        b.writeBytes(l4);
        return b.toByteArray();
    }

    private byte[] ipv6(int next, byte[] l4) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        be32(b, 0x60000000);
        be16(b, l4.length);
        b.write(next);
        b.write(64);
        byte[] addrs = new byte[32];
        addrs[0] = 0x20;
        addrs[1] = 0x01;
        addrs[15] = (byte) random.nextInt(1, 8);
        addrs[16] = 0x20;
        addrs[17] = 0x01;
        addrs[31] = (byte) random.nextInt(1, 8);
        b.writeBytes(addrs);
        b.writeBytes(l4);
        return b.toByteArray();
    }

    private byte[] tcp(int sport, int dport, int payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        be16(b, sport);
        be16(b, dport);
        be32(b, random.nextInt());
        be32(b, 0);
        b.write(0x50);
        b.write(0x02); // SYN
        be16(b, 65535);
        be16(b, 0);
        be16(b, 0);
        b.writeBytes(payload(payload));
        return b.toByteArray();
    }

    private byte[] udp(int sport, int dport, int payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        be16(b, sport);
        be16(b, dport);
        be16(b, 8 + payload);
        be16(b, 0);
        b.writeBytes(payload(payload));
        return b.toByteArray();
    }

    private byte[] icmp(int type, int payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        b.write(0);
        be16(b, 0);
        be32(b, random.nextInt());
        b.writeBytes(payload(payload));
        return b.toByteArray();
    }

    private static void be16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }

    private static void be32(ByteArrayOutputStream b, int v) {
        be16(b, v >>> 16);
        be16(b, v);
    }
}

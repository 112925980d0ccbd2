package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Whatever instructions a spec holds (the kernel would refuse many), the checker answers with a report. */
class AnalyzerRobustnessTest {

    @Test
    void randomProgramsAlwaysGiveAReport() {
        SplittableRandom rnd = new SplittableRandom(11);
        MapSpec map = new MapSpec("m", MapType.ARRAY, 4, 16, 4, 0, -1, 0, false);
        NfpPreChecker checker = new NfpPreChecker(FirmwareCapabilities.nfpsim());
        int[] common = {0x07, 0x0f, 0x17, 0xb7, 0xbf, 0x57, 0x67, 0x77, 0x27, 0x37, 0x04, 0x0c, 0x34, 0xb4, 0xbc, 0x61, 0x69,
                0x71, 0x79, 0x63, 0x6b, 0x73, 0x7b, 0x62, 0xdb, 0xc3, 0x05, 0x15, 0x1d, 0x25, 0x2d, 0x55, 0xa5, 0x16, 0x26,
                0x85, 0x95, 0x20, 0x40, 0xdc};
        for (int round = 0; round < 3000; round++) {
            int n = 1 + rnd.nextInt(40);
            List<Instruction> insns = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int pick = rnd.nextInt(20);
                if (pick == 0) {
                    insns.add(new Instruction(Instruction.LD_IMM64, rnd.nextInt(11), Instruction.PSEUDO_MAP_FD, (short) 0, 0, 0, "m"));
                } else if (pick == 1) {
                    insns.add(Instruction.of(rnd.nextInt(256), rnd.nextInt(16), rnd.nextInt(16), rnd.nextInt(-64, 64), rnd.nextInt()));
                } else {
                    int op = common[rnd.nextInt(common.length)];
                    int imm = op == 0x85 ? rnd.nextInt(-2, 70) : rnd.nextInt(-300, 300);
                    insns.add(Instruction.of(op, rnd.nextInt(11), rnd.nextInt(11), rnd.nextInt(-n, n + 1) * (rnd.nextBoolean() ? 1 : 8), imm));
                }
            }
            insns.add(Instruction.of(0x95, 0, 0, 0, 0));
            ProgramType type = rnd.nextBoolean() ? ProgramType.XDP : ProgramType.SCHED_CLS;
            ProgramSpec p = new ProgramSpec("fuzz", "xdp", type, 0, "GPL", insns);
            try {
                CheckReport r = checker.check(p, List.of(map));
                assertNotNull(r.verdict());
            } catch (RuntimeException e) {
                fail("round " + round + " " + insns + ": " + e, e);
            }
        }
    }
}

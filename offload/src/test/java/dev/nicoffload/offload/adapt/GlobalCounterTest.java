package dev.nicoffload.offload.adapt;

import org.junit.jupiter.api.Test;

class GlobalCounterTest {
    @Test
    void dump() throws Exception {
        Adaptation a = AdapterTest.adapt("global_counters", AdaptOptions.defaults());
        System.out.println(a.report().render());
        a.output().ifPresent(o -> { try { java.nio.file.Files.write(java.nio.file.Path.of("/tmp/g/out.o"), o); } catch (Exception e) { throw new RuntimeException(e); } });
    }
}

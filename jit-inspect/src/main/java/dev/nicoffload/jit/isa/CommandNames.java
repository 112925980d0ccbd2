package dev.nicoffload.jit.isa;

/**
 * Command mnemonics of the ME v2.8 memory/IO commands, looked up by (CPP target, action, token,
 * length field). Built once from a compact table; a lookup is a single array read.
 */
final class CommandNames {
    private CommandNames() {}

    /**
     * One row per (target, action): {@code target action cell0 | cell1 | cell2 | cell3}. A cell is
     * {@code -} (no mnemonic), a plain name, or comma-separated {@code name@mask=value} entries that
     * apply when {@code (len & mask) == value}.
     */
    private static final String TABLE = """
            6 0 read | read_check_error | - | -
            6 1 write | write_check_error | - | -
            6 2 read_int | - | - | -
            6 3 write_int@7=0,write_dma@7=3 | - | - | -
            1 0 read | - | - | -
            1 1 write | - | - | -
            1 3 packet_ready_drop | packet_ready_unicast | packet_ready_multicast_dont_free | packet_ready_multicast_free_on_last
            9 0 read | read_rid | - | -
            9 1 write | write_rid | write_vdm | -
            9 2 read_int | - | - | -
            9 3 write_int | - | - | -
            12 0 read | - | - | -
            12 1 write | - | - | -
            12 2 write_fifo | - | - | -
            10 0 read | - | - | -
            10 1 write | - | - | -
            14 0 xpb_read | ring_get | interthread_signal | -
            14 1 xpb_write | ring_put | ctnn_write | -
            14 2 reflect_read_none | reflect_read_sig_init | reflect_read_sig_remote | reflect_read_sig_both
            14 3 reflect_write_none | reflect_write_sig_init | reflect_write_sig_remote | reflect_write_sig_both
            7 0 read | read_le | read_swap | read_swap_le
            7 1 write | write_le | write_swap | write_swap_le
            7 2 write8 | write8_le | write8_swap | write8_swap_le
            7 3 atomic_read | read8 | compare_write_or_incr/mask_compare_write | test_compare_write_or_incr/test_mask_compare_write
            7 4 atomic_write | swap | atomic_write_imm | swap_imm
            7 5 set | test_set | set_imm | test_set_imm
            7 6 clr | test_clr | clr_imm | test_clr_imm
            7 7 add@4=0,add64@4=4 | test_add@4=0,test_add64@4=4 | add_imm@4=0,add64_imm@4=4 | test_add_imm@4=0,test_add64_imm@4=4
            7 8 addsat@4=0,addsat64@4=4 | test_addsat@4=0,test_addsat64@4=4 | addsat_imm@4=0,addsat64_imm@4=4 | test_addsat_imm@4=0,test_addsat64_imm@4=4
            7 9 sub@4=0,sub64@4=4 | test_sub@4=0,test_sub64@4=4 | sub_imm@4=0,sub64_imm@4=4 | test_sub_imm@4=0,test_sub64_imm@4=4
            7 10 subsat@4=0,subsat64@4=4 | test_subsat@4=0,test_subsat64@4=4 | subsat_imm@4=0,subsat64_imm@4=4 | test_subsat_imm@4=0,test_subsat64_imm@4=4
            7 11 ticket_release | ticket_release_ind | - | -
            7 12 cam128_lookup8/cam384_lookup8@7=0,cam128_lookup16/cam384_lookup16@7=1,cam128_lookup24/cam384_lookup24@7=2,cam128_lookup32/cam384_lookup32@7=3,cam256_lookup8/cam512_lookup8@7=4,cam256_lookup16/cam512_lookup16@7=5,cam256_lookup24/cam512_lookup24@7=6,cam256_lookup32/cam512_lookup32@7=7 | cam128_lookup8_add/cam384_lookup8_add@7=0,cam128_lookup16_add/cam384_lookup16_add@7=1,cam128_lookup24_add/cam384_lookup24_add@7=2,cam128_lookup32_add/cam384_lookup32_add@7=3,cam256_lookup8_add/cam512_lookup8_add@7=4,cam256_lookup16_add/cam512_lookup16_add@7=5,cam256_lookup24_add/cam512_lookup24_add@7=6,cam256_lookup32_add/cam512_lookup32_add@7=7 | tcam128_lookup8/tcam384_lookup8@7=0,tcam128_lookup16/tcam384_lookup16@7=1,tcam128_lookup24/tcam384_lookup24@7=2,tcam128_lookup32/tcam384_lookup32@7=3,tcam256_lookup8/tcam512_lookup8@7=4,tcam256_lookup16/tcam512_lookup16@7=5,tcam256_lookup24/tcam512_lookup24@7=6,tcam256_lookup32/tcam512_lookup32@7=7 | lock128/lock384@7=0,cam128_lookup24_add_inc/cam384_lookup24_add_inc@7=2,lock256/lock512@7=4,cam256_lookup24_add_inc/cam512_lookup24_add_inc@7=6
            7 13 microq128_get@7=0,microq256_get@7=4 | microq128_pop@7=0,microq256_pop@7=4 | microq128_put@7=0,microq256_put@7=4 | -
            7 14 queue128_lock@7=0,queue256_lock@7=4 | queue128_unlock@7=0,queue256_unlock@7=4 | - | -
            7 15 xor | test_xor | xor_imm | test_xor_imm
            7 16 ctm.packet_wait_packet_status/emem.rd_qdesc/imem.stats_log | ctm.packet_read_packet_status/emem.wr_qdesc/imem.stats_log_sat | emem.push_qdesc/imem.stats_log_event | imem.stats_log_sat_event
            7 17 ctm.packet_alloc/emem.enqueue/imem.stats_push | ctm.packet_credit_get/emem.enqueue_tail/imem.stats_push_clear | ctm.packet_alloc_poll/emem.dequeue | ctm.packet_add_thread
            7 18 ctm.packet_free/emem.read_queue/imem.lb_write_desc | ctm.packet_free_and_signal/emem.read_queue_ring/imem.lb_read_desc | ctm.packet_free_and_return_pointer/emem.write_queue | ctm.packet_return_pointer/emem.write_queue_ring
            7 19 ctm.packet_complete_drop/emem.add_tail/imem.lb_write_idtable | ctm.packet_complete_unicast/emem.qadd_thread/imem.lb_read_idtable | ctm.packet_complete_multicast/emem.qadd_work | ctm.packet_complete_multicast_free/emem.qadd_work_imm
            7 20 ctm.pe_dma_to_memory_packet/emem.put/imem.lb_bucket_write_local | ctm.pe_dma_to_memory_packet_swap/imem.lb_bucket_write_dcache | ctm.pe_dma_to_memory_packet_free/emem.journal | ctm.pe_dma_to_memory_packet_free_swap
            7 21 ctm.pe_dma_to_memory_indirect/emem.get/imem.lb_bucket_read_local | ctm.pe_dma_to_memory_indirect_swap/emem.get_eop/imem.lb_bucket_read_dcache | ctm.pe_dma_to_memory_indirect_free/emem.get_freely | ctm.pe_dma_to_memory_indirect_free_swap
            7 22 ctm.pe_dma_to_memory_buffer/emem.pop/imem.lb_lookup_bundleid | ctm.pe_dma_to_memory_buffer_le/emem.pop_eop/imem.lb_lookup_dcache | ctm.pe_dma_to_memory_buffer_swap/emem.pop_freely/imem.lb_lookup_idtable | ctm.pe_dma_to_memory_buffer_le_swap
            7 23 ctm.pe_dma_from_memory_buffer/emem.fast_journal/imem.lb_push_stats_local | ctm.pe_dma_from_memory_buffer_le/emem.fast_journal_sig/imem.lb_push_stats_dcache | ctm.pe_dma_from_memory_buffer_swap/imem.lb_push_stats_local_clr | ctm.pe_dma_from_memory_buffer_le_swap/imem.lb_push_stats_dcache_clr
            7 26 emem.lookup/imem.lookup | - | - | -
            7 28 read32 | read32_le | read32_swap | read32_swap_le
            7 29 - | cam_lookup_add_lock | cam_lookup_add_extend | cam_lookup_add_inc
            7 30 - | - | meter | -
            7 31 write32 | write32_le | write32_swap | write32_swap_le
            15 0 read | read_le | swap/test_compare_write | xor
            15 1 write | write_le | write8_be | write8_le
            15 2 set | clr | test_set | test_clr
            15 3 set_imm | clr_imm | test_set_imm | test_clr_imm
            15 4 add | add64 | addsat | -
            15 5 add_imm | add64_imm | addsat_imm | -
            15 6 sub | sub64 | subsat | -
            15 7 sub_imm | sub64_imm | subsat_imm | -
            15 8 queue_lock | queue_unlock | hash_mask | hash_mask_clear
            15 9 get | pop | get_safe | pop_safe
            15 10 ring_put | - | ring_journal | -
            15 11 cam_lookup32 | cam_lookup32_add | cam_lookup24 | cam_lookup24_add
            15 12 cam_lookup8 | cam_lookup8_add | cam_lookup16 | cam_lookup16_add
            15 13 tcam_lookup32 | tcam_lookup24 | tcam_lookup16 | tcam_lookup8
            15 14 reflect_write_sig_local | reflect_write_sig_remote | reflect_write_sig_both | -
            15 15 reflect_read_sig_remote | reflect_read_sig_local | reflect_read_sig_both | -
            15 16 - | cam_lookup32_add_lock | cam_lookup24_add_inc | cam_lookup32_add_extend
            15 17 meter | - | statistic | statistic_imm
            15 20 test_add | test_add64 | test_addsat | -
            15 21 test_add_imm | test_add64_imm | test_addsat_imm | -
            15 22 test_sub | test_sub64 | test_subsat | -
            15 23 test_sub_imm | test_sub64_imm | test_subsat_imm | -
            15 24 ring_read | ring_write | ring_ordered_lock | ring_ordered_unlock
            15 25 ring_workq_add_thread | ring_workq_add_work | - | -
            """;

    /** Names indexed by ((target*32 + action)*4 + token)*8 + len; null = no mnemonic. */
    private static final String[] NAMES = new String[16 * 32 * 4 * 8];

    static {
        for (String line : TABLE.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] head = line.split(" ", 3);
            int target = Integer.parseInt(head[0]);
            int action = Integer.parseInt(head[1]);
            String[] cells = head[2].split("\\|");
            if (cells.length != 4) {
                throw new ExceptionInInitializerError("bad command table row: " + line);
            }
            for (int token = 0; token < 4; token++) {
                String cell = cells[token].trim();
                if (cell.equals("-")) {
                    continue;
                }
                int base = ((target * 32 + action) * 4 + token) * 8;
                for (String entry : cell.split(",")) {
                    int at = entry.indexOf('@');
                    String name = at < 0 ? entry : entry.substring(0, at);
                    int mask = 0;
                    int value = 0;
                    if (at >= 0) {
                        String[] mv = entry.substring(at + 1).split("=");
                        mask = Integer.parseInt(mv[0]);
                        value = Integer.parseInt(mv[1]);
                    }
                    for (int len = 0; len < 8; len++) {
                        if (NAMES[base + len] == null && (len & mask) == value) {
                            NAMES[base + len] = name;
                        }
                    }
                }
            }
        }
    }

    /** {@code target[mnemonic, } texts, filled on first use. */
    private static final String[] HEADS = new String[NAMES.length];

    /** The mnemonic, or null if the combination has none. */
    static String lookup(int target, int action, int token, int len) {
        return NAMES[((target * 32 + action) * 4 + token) * 8 + len];
    }

    /**
     * {@code targetName[mnemonic, } for the combination, or null if it has no mnemonic. Filling a
     * slot twice from two threads is harmless (equal immutable strings).
     */
    static String head(int target, int action, int token, int len, String targetName) {
        int slot = ((target * 32 + action) * 4 + token) * 8 + len;
        String h = HEADS[slot];
        if (h == null) {
            String name = NAMES[slot];
            if (name == null) {
                return null;
            }
            HEADS[slot] = h = new StringBuilder(32).append(targetName).append('[').append(name).append(", ").toString();
        }
        return h;
    }
}

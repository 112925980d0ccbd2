/**
 * Control-flow graphs of NFP JIT images: basic blocks split at branch targets and after each
 * branch's defer slots, edges for taken and not-taken branches, calls and call returns, and a
 * Graphviz DOT rendering ({@link dev.nicoffload.jit.cfg.ControlFlowGraph#toDot()}).
 */
package dev.nicoffload.jit.cfg;

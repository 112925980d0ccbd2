/** The logic of the {@code nfp-disasm} command, independent of any CLI framework. */
package dev.nicoffload.jit.tool;

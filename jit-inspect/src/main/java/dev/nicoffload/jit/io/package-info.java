/**
 * Input handling shared by nicoffload's readers and tools: bounded reads of input files and
 * terminal-safe echoing of input text. Exported only to nicoffload's own modules.
 */
package dev.nicoffload.jit.io;

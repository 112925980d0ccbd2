/** JMH benchmarks of nicoffload's map fast path and the tool comparing them with the C program. */
package dev.nicoffload.bench;

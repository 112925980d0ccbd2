/**
 * The NFP pre-checker: tells, before load, whether a program can be offloaded to a Netronome NFP and,
 * if not, why, in the kernel's own words ({@code [nfp] ...} verifier-log lines) or, for failures the
 * kernel reports only in dmesg or as a bare errno, in a message naming the rule. Entry points:
 * {@link dev.nicoffload.offload.precheck.NfpPreChecker} and the CLI
 * {@link dev.nicoffload.offload.precheck.CheckTool}.
 */
package dev.nicoffload.offload.precheck;

/**
 * The sealed, unchecked exception hierarchy of nicoffload, rooted at {@link dev.nicoffload.offload.error.OffloadException}:
 * what the kernel or libbpf refused, with errno, extack and verifier log.
 *
 * <p>Beside it, a caller meets exactly these:
 * <ul>
 *   <li>{@link dev.nicoffload.offload.spec.ObjectFormatException}: a BPF object cannot be used; its file is
 *       missing, a directory, not a regular file, over the 64 MiB input bound or unreadable, or its bytes are
 *       not a well-formed BPF ELF object;</li>
 *   <li>{@link IllegalArgumentException} and {@link IllegalStateException}: argument mistakes and use of a
 *       closed handle, raised before the kernel is asked.</li>
 * </ul>
 * The {@code nicoffload} command maps these in one place ({@code dev.nicoffload.cli.Main}) to one line on
 * standard error and exit status 1 (the operation failed) or 2 (usage or a bad argument, including an
 * unusable object file).
 */
package dev.nicoffload.offload.error;

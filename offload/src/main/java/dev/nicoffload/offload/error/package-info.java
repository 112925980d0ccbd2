/** The sealed, unchecked exception hierarchy of nicoffload, rooted at {@link dev.nicoffload.offload.error.OffloadException}. */
package dev.nicoffload.offload.error;

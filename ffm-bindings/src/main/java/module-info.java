/**
 * libbpf and libc reached through Java FFM (downcalls, struct layouts, uapi constants).
 * Internal to nicoffload: packages are exported only to nicoffload's own modules, never to users.
 */
module dev.nicoffload.ffm {
}

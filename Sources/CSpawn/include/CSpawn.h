#ifndef CSPAWN_H
#define CSPAWN_H

#include <spawn.h>

/// posix_spawn file actions glibc has (2.29 and 2.34) but declares only under _GNU_SOURCE,
/// so Swift's Glibc module does not see them.
int cspawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest);
int cspawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

#endif

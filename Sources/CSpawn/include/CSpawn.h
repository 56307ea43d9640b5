#ifndef CSPAWN_H
#define CSPAWN_H

#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np: glibc has it (2.34) but declares it only under
/// _GNU_SOURCE, so Swift's Glibc module does not see it.
int cspawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif

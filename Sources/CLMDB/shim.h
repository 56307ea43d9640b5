// The system liblmdb (Debian: liblmdb-dev), plus the one Linux call the store's restore needs
// that Swift's Glibc module does not export (it is declared only under _GNU_SOURCE).
#include <lmdb.h>
#include <fcntl.h>

// glibc ≥ 2.28: renameat2(2). Declared here rather than by _GNU_SOURCE, which the prebuilt
// Glibc module can't see.
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/// Atomically swaps two paths (renameat2 with RENAME_EXCHANGE): the restore's single switch.
static inline int atende_exchange_paths(const char *a, const char *b) {
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, 1u << 1 /* RENAME_EXCHANGE */);
}

// The C allocator's one call Swift cannot reach through its Glibc module: malloc_trim(3).
// glibc keeps memory freed by many small objects (a closed connection's buffers, tasks and
// strings) in its arenas; trimming returns the free pages to the kernel so RSS falls again.
#include <stdlib.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
/// Returns the allocator's free pages to the kernel; 1 if some memory was released, 0 if none.
static inline int atende_release_free_heap(void) { return malloc_trim(0); }
#else
/// Other C libraries: nothing to do (macOS and musl return memory differently).
static inline int atende_release_free_heap(void) { return 0; }
#endif

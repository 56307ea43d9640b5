// The system liblmdb (Debian: liblmdb-dev). Nothing of ours is declared here.
#include <lmdb.h>

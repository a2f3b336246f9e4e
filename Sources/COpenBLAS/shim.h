#ifndef SPECTREE_COPENBLAS_SHIM_H
#define SPECTREE_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface. Debian installs it under an openblas-pthread
// include folder that pkg-config names; the prototypes below are OpenBLAS
// extensions that cblas.h declares too, repeated so that the module builds
// against any CBLAS header.
#include <cblas.h>

char *openblas_get_config(void);
char *openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
#endif

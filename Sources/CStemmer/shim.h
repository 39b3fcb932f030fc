// Snowball's libstemmer ships no pkg-config file, so the module map links `stemmer` by name and this header
// includes the Debian header (package libstemmer-dev). Only Sources/SPScanMatch/Snowball/ may import it.
#ifndef CSTEMMER_SHIM_H
#define CSTEMMER_SHIM_H

#include <libstemmer.h>

#endif

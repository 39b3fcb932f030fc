// Shims for libxml2 calls that Swift cannot make directly.
//
// `xmlFree` is a global function pointer that Swift 6 rejects as shared mutable state; the wrapper calls
// it from C instead. Only Sources/SPScanExtract/LibXML/ may import this module.
#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

static inline void clibxml2_free(void *pointer) {
    xmlFree(pointer);
}

static inline int clibxml2_version(void) {
    return LIBXML_VERSION;
}

#endif

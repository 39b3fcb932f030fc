// Shims for libxml2 calls that Swift cannot make directly.
//
// `xmlFree` is a global function pointer that Swift 6 rejects as shared mutable state; the wrapper calls
// it from C instead. Only Sources/SPScanExtract/LibXML/ may import this module.
#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU, so <libxml/encoding.h> includes the system's <unicode/ucnv.h>; Foundation
// on Linux ships its own copy of ICU's headers, and a Swift file that imports both sees two different
// `enum UErrorCode`s and fails to build. Nothing here touches libxml2's ICU converter fields (only pointers
// to xmlCharEncodingHandler are passed around), so the ICU part of the headers is switched off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/SAX2.h>
#include <libxml/xmlversion.h>

static inline void clibxml2_free(void *pointer) {
    xmlFree(pointer);
}

static inline int clibxml2_version(void) {
    return LIBXML_VERSION;
}

#endif

// CLibXML2: Debian's libxml2 (libxml2-dev), for its HTML parser: MosaicIngest's
// HTMLExtractor reads .html articles with it (a maintained parser that recovers from broken
// markup, decodes entities and honours declared character sets).
#ifndef MOSAIC_CLIBXML2_SHIM_H
#define MOSAIC_CLIBXML2_SHIM_H
// Debian builds libxml2 with ICU, and its encoding.h then includes the system's ICU headers,
// which clash with the ICU module Foundation brings. Mosaic never touches ICU through libxml2
// (only pointers to the encoding handler, whose ICU fields it never reads): leave them out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
// xmlFree is a global function pointer; Swift cannot call it directly.
static inline void mosaic_xml_free(void *p) { xmlFree(p); }
// The parser's options for articles: recover from broken markup, no messages on stderr, no
// network access.
static inline int mosaic_html_options(void) {
  return HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
}
#endif

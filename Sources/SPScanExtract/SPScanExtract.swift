// SPScanExtract: turns a snapshot's bytes into main text and passages (HTML through libxml2, PDF through
// poppler's `pdftotext`, DOCX and ODT through ZIPFoundation and libxml2, plain text and Markdown), with the
// language of the document and of each passage. `LibXML/` is the only folder that imports CLibXML2.
//
// Every format first becomes a list of `Block`s (heading, paragraph, list item, table row, with a page for
// PDF); `PassageBuilder` then lays the blocks out as the document's text and groups them into passages of at
// most ~120 words that never cross a heading. Keeping that one shared step means that offsets, heading paths
// and languages mean the same thing whatever the format. Main-content extraction for HTML works by structure
// (semantic elements, ARIA roles, boilerplate class names) and text density, never by site-specific rules:
// it can keep a stray menu on an odd page, which costs a little precision in tagging, but it needs no upkeep
// when a site changes its template.

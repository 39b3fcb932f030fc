// SPScanExtract: turns a snapshot's bytes into main text and passages (HTML through libxml2, PDF, DOCX,
// plain text), with the document's language. `LibXML/` is the only folder that imports CLibXML2.

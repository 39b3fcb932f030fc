// SPScanCatalog: the SQLite index (through GRDB) of sources, documents, passages, tags and scans. It is
// derived: `spscan index` rebuilds it from Corpus/, Sources.yaml, Framework.yaml and the review file.
//
// Trade-offs: one `CatalogDatabase` owns the only writer (WAL, so readers never wait on a scan); writes are
// intent-named methods on `CatalogWriter`, run inside one transaction each, so that a pipeline stage can batch
// thousands of documents per commit. Facets are copied onto each document row (a document inherits its
// source's), which costs a little space and makes every filter one indexed lookup. Tag evidence is stored as
// JSON beside its tag, with the best passage in its own column so that `query` never decodes the rest.
// Changes are recorded as events at write time (a document new or changed, passages added or removed, tags
// gained or lost), because "what changed" can only be known when the previous version is still at hand.

// SPScanCatalog: the SQLite index (through GRDB) of sources, documents, passages, tags and scans. It is
// derived: `spscan index` rebuilds it from Corpus/, Sources.yaml, Framework.yaml and the review file.

// SPScanFetch: collects the documents Sources.yaml names and keeps every version in Corpus/.
//
// Its parts: URL policy (schemes, private addresses), robots.txt, politeness, conditional GET, retries and
// limits, built on libcurl's multi interface (`Curl/` is the only folder that imports CCurl), and the
// snapshot store (content-addressed objects, an append-only log per source, atomic writes, a run lock).

// SPScanWeb: `spscan serve`, the web page and JSON API over the catalog, and scans on a schedule.
//
// Pages are rendered on the server as plain HTML (no front-end build, no script needed to use them), so that
// they work in any browser, with a keyboard and a screen reader, and can be saved or printed as they are.
// The JSON API answers with the shapes of the command line's `--format json`, so that a script can move
// between the two. Reads go to the catalog's WAL readers, so the server keeps answering while a scan writes;
// the matrix reads every document once per catalog change and keeps the result, because building it is the
// expensive part and the catalog changes only when a scan or a review writes.

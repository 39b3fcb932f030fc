// SPScan: the pipeline. It is the only module that knows every stage; it composes fetch, extract, match,
// catalog and coverage, and holds the project paths, the scan report and the run lock.

// SPScanCoverage: coverage matrices and gaps as pure functions of tagged documents, and their exporters
// (`Exporters/`, one file per format).

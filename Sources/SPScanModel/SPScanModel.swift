// SPScanModel: the values every stage passes to the next, and the loading and validation of the two files a
// user owns (Sources.yaml and Framework.yaml).
//
// Trade-offs: the model is plain `Sendable` value types with no behaviour beyond validation, so that each
// stage can be tested alone. YAML is read through Yams' node tree rather than `Codable` because the node tree
// keeps line and column marks, and a user editing a registry by hand needs every mistake reported with its
// position, all at once.

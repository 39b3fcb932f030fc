// SPScanModel: the values every stage passes to the next, and the loading and validation of the two files a
// user owns (Sources.yaml and Framework.yaml).
//
// Trade-offs: the model is plain `Sendable` value types with no behaviour beyond validation, so that each
// stage can be tested alone. YAML is read into a small node tree of our own (`YAMLNode`, composed from libyaml's
// events; libyaml comes with the Yams package) rather than through `Codable`, because the tree keeps line and
// column marks, and a user editing a registry by hand needs every mistake reported with its position, all at
// once; and rather than through Yams' `Node`, which made loading a 10,000-source registry seven times slower.

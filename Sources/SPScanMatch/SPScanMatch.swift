// SPScanMatch: tags passages and documents against the framework's competencies, with the evidence that
// justifies each tag. `Snowball/` is the only folder that imports CStemmer.

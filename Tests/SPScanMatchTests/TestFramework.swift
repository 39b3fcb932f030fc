import SPScanModel
import SPScanTestSupport

/// The marked text as the passage the tagger reads.
extension MarkedText {
    var passage: Passage { Passage(text: text, start: 0, end: text.unicodeScalars.count) }

    func passage(language: Language, role: BlockRole = .paragraph, heading: String = "") -> Passage {
        Passage(text: text, heading: heading, start: 0, end: text.unicodeScalars.count, language: language, role: role)
    }
}

/// A small framework written for the tests, so that they do not move when Framework.yaml's vocabulary does.
enum TestFramework {
    static func make(
        thresholdOfB: Double? = nil, exclusionsOfA: [Language: [Term]] = [:]
    ) -> Framework {
        Framework(
            id: "test", title: "Test framework", version: "1",
            domains: [
                Domain(
                    id: "AA", name: "Alpha", description: "",
                    competencies: [
                        Competency(
                            id: "AA-1", domain: "AA", name: "Listening", description: "",
                            terms: [
                                .english: [Term("active listening", weight: 2), Term("rapport"), Term("person-centred", weight: 1.5)],
                                .french: [Term("écoute active", weight: 2), Term("ce qui compte pour vous", weight: 2)],
                            ],
                            exclusions: exclusionsOfA),
                        Competency(
                            id: "AA-2", domain: "AA", name: "Safeguarding", description: "", threshold: thresholdOfB,
                            terms: [
                                .english: [Term("safeguarding", weight: 2), Term("risk assessment", weight: 1.5), Term("crisis")],
                                .french: [Term("maltraitance", weight: 1.5)],
                            ]),
                    ]),
                Domain(
                    id: "BB", name: "Beta", description: "",
                    competencies: [
                        Competency(
                            id: "BB-1", domain: "BB", name: "Organisations", description: "",
                            terms: [
                                .english: [Term("community organisations", weight: 2), Term("programme evaluation", weight: 2)],
                                .french: [Term("évaluation du programme", weight: 2)],
                            ]),
                        Competency(
                            id: "BB-2", domain: "BB", name: "Shared", description: "",
                            terms: [.english: [Term("rapport"), Term("assessment")]]),
                    ]),
            ])
    }
}

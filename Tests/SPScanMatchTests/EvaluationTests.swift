import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanMatch

@Suite("Evaluation")
struct EvaluationTests {
    @Test("precision, recall and F1 from counts, micro and macro")
    func metrics() throws {
        let passages = [
            LabelledPassage(id: "1", lang: .english, text: "Active listening and rapport.", labels: ["AA-1"]),
            LabelledPassage(id: "2", lang: .english, text: "Safeguarding and risk assessment.", labels: ["AA-2", "BB-1"]),
            LabelledPassage(id: "3", lang: .english, text: "Tea and coffee.", labels: []),
        ]
        let tagger = try? Tagger(framework: TestFramework.make())
        let report = try #require(tagger.map { EvaluationReport(tagger: $0, passages: passages) })
        let competency = report.competencyLevel()
        #expect(competency.micro == Scores(truePositives: 2, falsePositives: 0, falseNegatives: 1))
        #expect(abs(competency.micro.f1 - 0.8) < 1e-9)
        #expect(abs(competency.macroF1 - 2.0 / 3) < 1e-9)
        let domain = report.domainLevel()
        #expect(domain.micro == Scores(truePositives: 2, falsePositives: 0, falseNegatives: 1))
    }

    /// A floor, not the target: the real check is `make eval`, and the same method is judged on unseen text.
    @Test("the shipped framework stays above a floor on the development passages")
    func developmentFloor() throws {
        let root = CLIRunner.packageRoot
        let framework = try FrameworkLoader.load(from: root.appendingPathComponent("Framework.yaml"))
        let data = try Data(contentsOf: root.appendingPathComponent("Eval/dev-passages.jsonl"))
        let report = EvaluationReport(tagger: try Tagger(framework: framework), passages: try LabelledPassage.load(jsonLines: data))
        #expect(report.outcomes.count == 50)
        #expect(report.competencyLevel().micro.f1 >= 0.8)
        #expect(report.domainLevel().micro.f1 >= 0.9)
        #expect(report.competencyLevel(language: .french).micro.f1 >= 0.75)
    }
}

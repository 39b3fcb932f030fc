// spscan-eval: the tagger's quality on a labelled passage set (default Eval/dev-passages.jsonl with
// Framework.yaml), at competency and domain level, English and French separately, and the competencies it
// gets most wrong. `make eval` runs it.
// Usage: spscan-eval [--framework PATH] [--passages PATH] [--threshold X] [--errors]
import Foundation
import SPScanMatch
import SPScanModel

func value(after flag: String, default fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

let frameworkPath = value(after: "--framework", default: "Framework.yaml")
let passagesPath = value(after: "--passages", default: "Eval/dev-passages.jsonl")
let listErrors = CommandLine.arguments.contains("--errors")

do {
    let framework = try FrameworkLoader.load(from: URL(fileURLWithPath: frameworkPath))
    let passages = try LabelledPassage.load(jsonLines: try Data(contentsOf: URL(fileURLWithPath: passagesPath)))
    var options = TaggerOptions()
    if let threshold = Double(value(after: "--threshold", default: "")) { options.defaultThreshold = threshold }
    let tagger = try Tagger(framework: framework, options: options)
    let report = EvaluationReport(tagger: tagger, passages: passages)

    func percent(_ value: Double) -> String { String(format: "%5.3f", value) }
    print("Evaluation of \(passagesPath) (\(passages.count) passages) against \(frameworkPath)\n")
    print("subset     level        n   micro-P micro-R micro-F1   macro-P macro-R macro-F1")
    for (name, language) in [("all", nil), ("English", Language.english), ("French", Language.french)] as [(String, Language?)] {
        let count = report.outcomes.filter { language == nil || $0.passage.lang == language }.count
        for (level, scores) in [
            ("competency", report.competencyLevel(language: language)), ("domain", report.domainLevel(language: language)),
        ] {
            let line = [
                name.padding(toLength: 10, withPad: " ", startingAt: 0), level.padding(toLength: 10, withPad: " ", startingAt: 0),
                String(format: "%3d", count), "  ", percent(scores.micro.precision), "  ", percent(scores.micro.recall), "  ",
                percent(scores.micro.f1), "    ", percent(scores.macroPrecision), "  ", percent(scores.macroRecall), "  ",
                percent(scores.macroF1),
            ]
            print(line.joined(separator: " "))
        }
    }

    print("\nWorst competencies (by F1; false positives and false negatives with the passages involved):")
    let perCompetency = report.competencyLevel().perLabel.sorted {
        $0.value.f1 != $1.value.f1 ? $0.value.f1 < $1.value.f1 : $0.key < $1.key
    }
    for (competency, scores) in perCompetency.prefix(8) where scores.f1 < 1 {
        let falsePositives = report.outcomes.filter { $0.predicted.contains(competency) && !$0.passage.labels.contains(competency) }
        let falseNegatives = report.outcomes.filter { !$0.predicted.contains(competency) && $0.passage.labels.contains(competency) }
        let fp = falsePositives.map { "\($0.passage.id) (gold \($0.passage.labels.joined(separator: ",")))" }
        let fn = falseNegatives.map { "\($0.passage.id) (score \(String(format: "%.2f", $0.scores[competency] ?? 0)))" }
        print(
            "  \(competency.padding(toLength: 6, withPad: " ", startingAt: 0)) F1 \(percent(scores.f1))  FP: \(fp.isEmpty ? "-" : fp.joined(separator: " "))  FN: \(fn.isEmpty ? "-" : fn.joined(separator: " "))"
        )
    }
    if listErrors {
        print("\nPassages with errors:")
        for outcome in report.outcomes where Set(outcome.predicted) != Set(outcome.passage.labels) {
            let scores = outcome.scores.sorted { $0.value > $1.value }.map { "\($0.key)=\(String(format: "%.2f", $0.value))" }
            print(
                "  \(outcome.passage.id) gold \(outcome.passage.labels) predicted \(outcome.predicted)  [\(scores.joined(separator: " "))]")
        }
    }
} catch {
    FileHandle.standardError.write(Data("spscan-eval: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n".utf8))
    exit(2)
}

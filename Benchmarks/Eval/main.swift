// spscan-eval: the tagger's quality on text it was not fitted on. `make eval` runs it.
//
// Two folds over the labelled sets of Eval/: fit on dev + train-a and report on train-b, then fit on dev + train-b
// and report on train-a, so that each figure predicts unseen text. Each held-out part is reported at competency
// and domain level, English and French apart, with its worst competencies. The development set is reported with
// the shipped configuration (fitted on everything, so it is a floor, not a prediction), and the screened real
// negatives of Eval/negatives.tsv (WCXB articles, never used for fitting) give the share of unrelated pages that
// get any tag.
//
// Usage: spscan-eval [--framework PATH] [--eval DIR] [--threshold X] [--errors] [--vocabulary-only | --model]
//        [--negative-terms]   (each tag on a screened negative page with its evidence terms: a diagnosis only)
//        spscan-eval train [--output PATH] [--genericity-only]
//            (`make model`: fit on everything, write Framework.learned.json; with --genericity-only, only how generic
//             each vocabulary term is on real unrelated pages, and the vocabulary decides)
//        spscan-eval --passages PATH      (one labelled file, with the shipped configuration, as before)
import Foundation
import SPScanExtract
import SPScanMatch
import SPScanModel

func value(after flag: String, default fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

let frameworkPath = value(after: "--framework", default: "Framework.yaml")
let evalDirectory = URL(fileURLWithPath: value(after: "--eval", default: "Eval"))
let singlePassages = value(after: "--passages", default: "")
let listErrors = CommandLine.arguments.contains("--errors")

func format(_ value: Double) -> String { String(format: "%5.3f", value) }

func loadPassages(_ name: String) throws -> [LabelledPassage] {
    let url = name.contains("/") ? URL(fileURLWithPath: name) : evalDirectory.appendingPathComponent(name)
    return try LabelledPassage.load(jsonLines: try Data(contentsOf: url))
}

/// Prints the table of one labelled part and its worst competencies.
func printReport(_ report: EvaluationReport, title: String) {
    print("\n== \(title) (\(report.outcomes.count) passages)")
    print("subset     level        n   micro-P micro-R micro-F1   macro-P macro-R macro-F1")
    for (name, language) in [("all", nil), ("English", Language.english), ("French", Language.french)] as [(String, Language?)] {
        let count = report.outcomes.filter { language == nil || $0.passage.lang == language }.count
        guard count > 0 else { continue }
        for (level, scores) in [
            ("competency", report.competencyLevel(language: language)), ("domain", report.domainLevel(language: language)),
        ] {
            let line = [
                name.padding(toLength: 10, withPad: " ", startingAt: 0), level.padding(toLength: 10, withPad: " ", startingAt: 0),
                String(format: "%3d", count), "  ", format(scores.micro.precision), "  ", format(scores.micro.recall), "  ",
                format(scores.micro.f1), "    ", format(scores.macroPrecision), "  ", format(scores.macroRecall), "  ",
                format(scores.macroF1),
            ]
            print(line.joined(separator: " "))
        }
    }
    print("Worst competencies (by F1; false positives and false negatives with the passages involved):")
    let perCompetency = report.competencyLevel().perLabel.sorted {
        $0.value.f1 != $1.value.f1 ? $0.value.f1 < $1.value.f1 : $0.key < $1.key
    }
    for (competency, scores) in perCompetency.prefix(6) where scores.f1 < 1 {
        let falsePositives = report.outcomes.filter { $0.predicted.contains(competency) && !$0.passage.labels.contains(competency) }
        let falseNegatives = report.outcomes.filter { !$0.predicted.contains(competency) && $0.passage.labels.contains(competency) }
        let fp = falsePositives.map(\.passage.id)
        let fn = falseNegatives.map { "\($0.passage.id) (\(String(format: "%.2f", $0.scores[competency] ?? 0)))" }
        print(
            "  \(competency.padding(toLength: 6, withPad: " ", startingAt: 0)) F1 \(format(scores.f1))  FP: \(fp.isEmpty ? "-" : fp.joined(separator: " "))  FN: \(fn.isEmpty ? "-" : fn.joined(separator: " "))"
        )
    }
    if listErrors {
        print("Passages with errors:")
        for outcome in report.outcomes where Set(outcome.predicted) != Set(outcome.passage.labels) {
            let scores = outcome.scores.sorted { $0.value > $1.value }.map { "\($0.key)=\(String(format: "%.2f", $0.value))" }
            print(
                "  \(outcome.passage.id) gold \(outcome.passage.labels) predicted \(outcome.predicted)  [\(scores.joined(separator: " "))]")
        }
    }
}

/// The screened WCXB articles kept as real negatives (Eval/negatives.tsv: id, decision, domain, title, reason).
func screenedNegatives() throws -> [(id: String, title: String)] {
    let text = try String(contentsOf: evalDirectory.appendingPathComponent("negatives.tsv"), encoding: .utf8)
    return text.split(separator: "\n").compactMap { line in
        guard !line.hasPrefix("#") else { return nil }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 4, fields[1] == "kept" else { return nil }
        return (fields[0], fields[3])
    }
}

/// A WCXB page's HTML, gunzipped by the system's gzip (an eval tool; the project reads no gzip files itself).
func wcxbHTML(_ id: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let path = evalDirectory.appendingPathComponent("wcxb-dev/dev/html/\(id).html.gz").path
    process.arguments = ["gzip", "-dc", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}

/// The shipped corpus: the current snapshot of each URL in Corpus/log/*.jsonl, extracted as a scan extracts it.
func corpusDocuments() throws -> [(String, ExtractedDocument)] {
    let corpus = URL(fileURLWithPath: value(after: "--corpus", default: "Corpus"))
    let logs = try FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("log").path).sorted()
    let extractor = Extractor()
    var documents: [(String, ExtractedDocument)] = []
    for name in logs where name.hasSuffix(".jsonl") {
        let text = try String(contentsOf: corpus.appendingPathComponent("log/\(name)"), encoding: .utf8)
        var latest: [String: [String: Any]] = [:]
        for line in text.split(separator: "\n") {
            guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let url = record["url"] as? String, record["sha256"] is String
            else { continue }
            latest[url] = record
        }
        for (url, record) in latest.sorted(by: { $0.key < $1.key }) {
            guard let sha = record["sha256"] as? String else { continue }
            let data = try Data(contentsOf: corpus.appendingPathComponent("objects/\(sha.prefix(2))/\(sha)"))
            let base = URL(string: record["final_url"] as? String ?? url)
            guard
                let document = try? extractor.extract(
                    data, contentType: record["content_type"] as? String, filename: base?.lastPathComponent, baseURL: base)
            else { continue }
            documents.append((record["source"] as? String ?? url, document))
        }
    }
    return documents
}

/// The WCXB pages that are not articles (service, forum, product, collection, listing, documentation pages): real
/// text about other things, used to fit on (negatives, genericity) and never reported on.
func fittingPages() throws -> [[Passage]] {
    let metadata = try Data(contentsOf: evalDirectory.appendingPathComponent("wcxb-dev/metadata.json"))
    guard let root = try JSONSerialization.jsonObject(with: metadata) as? [String: Any],
        let files = root["files"] as? [String: [String: Any]]
    else { return [] }
    let extractor = Extractor()
    var pages: [[Passage]] = []
    for (id, info) in files.sorted(by: { $0.key < $1.key }) {
        guard info["split"] as? String == "dev", let type = info["page_type"] as? String, type != "article" else { continue }
        guard let document = try? extractor.extract(try wcxbHTML(id), contentType: "text/html") else { continue }
        pages.append(document.passages)
    }
    return pages
}

/// Trainer settings, with overrides for trying alternatives (judged by the inner cross-validation only).
func trainerSettings() -> ModelTrainer.Settings {
    var settings = ModelTrainer.Settings()
    if let count = Int(value(after: "--negatives-per-page", default: "")) { settings.negativesPerPage = count }
    if let weight = Double(value(after: "--max-positive-weight", default: "")) { settings.maximumPositiveWeight = weight }
    if let count = Int(value(after: "--minimum-count", default: "")) { settings.minimumCount = count }
    return settings
}

/// The files a model is fitted on, named in the model for a person reading it.
func describe(_ names: [String], pages: Int) -> [String] {
    names.map { "Eval/\($0)" } + ["Eval/wcxb-dev (\(pages) pages that are not articles: negatives and genericity)"]
}

do {
    let framework = try FrameworkLoader.load(from: URL(fileURLWithPath: frameworkPath))
    var options = TaggerOptions()
    if let threshold = Double(value(after: "--threshold", default: "")) { options.defaultThreshold = threshold }
    // `make eval` measures what ships: the learned model when Framework.learned.json exists (each fold then fits
    // its own model on its fitting parts), the vocabulary alone otherwise.
    let shipped = try LearnedModel.load(besideFramework: URL(fileURLWithPath: frameworkPath))
    let shipsModel = !(shipped?.competencies.isEmpty ?? true)
    let vocabularyOnly =
        CommandLine.arguments.contains("--vocabulary-only") || (!shipsModel && !CommandLine.arguments.contains("--model"))

    if CommandLine.arguments.dropFirst().first == "train" {
        // `make model`: fit on every labelled set and the fitting pages, and write the model beside the framework.
        let output = value(after: "--output", default: LearnedModel.url(besideFramework: URL(fileURLWithPath: frameworkPath)).path)
        // `--genericity-only`: measure how generic each vocabulary term is, and let the vocabulary decide.
        let genericityOnly = CommandLine.arguments.contains("--genericity-only")
        let names = genericityOnly ? [] : ["dev-passages.jsonl", "train-a.jsonl", "train-b.jsonl"]
        let labelled = try names.flatMap(loadPassages)
        let pages = try fittingPages()
        var trainer = ModelTrainer(framework: framework, options: options, settings: trainerSettings())
        let model = try trainer.train(labelled: labelled, negativePages: pages, trainedOn: describe(names, pages: pages.count))
        if let chosen = trainer.chosen {
            print("spscan-eval: chose L2 \(chosen.l2), threshold \(chosen.threshold) (inner micro-F1 \(format(chosen.f1)))")
        }
        try model.jsonData().write(to: URL(fileURLWithPath: output), options: .atomic)
        print(
            "spscan-eval: wrote \(output): \(model.features.count) features, fitted on \(labelled.count) passages and \(pages.count) pages")
        exit(0)
    }

    // The dev set, the negatives and the scope figures measure what `spscan` runs: the framework with what
    // Framework.learned.json holds (today the measured genericity of each term), unless --vocabulary-only.
    let tagger =
        CommandLine.arguments.contains("--vocabulary-only")
        ? try Tagger(framework: framework, options: options)
        : try Tagger(framework: framework, frameworkURL: URL(fileURLWithPath: frameworkPath), options: options)

    if !singlePassages.isEmpty {
        printReport(EvaluationReport(tagger: tagger, passages: try loadPassages(singlePassages)), title: singlePassages)
        exit(0)
    }

    let dev = try loadPassages("dev-passages.jsonl")
    let trainA = try loadPassages("train-a.jsonl")
    let trainB = try loadPassages("train-b.jsonl")
    print(
        "Tagger quality against \(frameworkPath)\(vocabularyOnly ? " (vocabulary only)" : ""); each held-out part was not used for fitting."
    )
    let pages = vocabularyOnly ? [] : try fittingPages()
    var summary: [String] = []
    var heldOutFigures: [TaggingQuality.HeldOut] = []
    for (name, heldOut, fitted, fittedNames) in [
        ("train-b", trainB, dev + trainA, ["dev-passages.jsonl", "train-a.jsonl"]),
        ("train-a", trainA, dev + trainB, ["dev-passages.jsonl", "train-b.jsonl"]),
    ] {
        // The vocabulary alone fits nothing (its term genericity comes from the WCXB pages that are not articles,
        // whatever the fold); the model is fitted on the other parts only.
        var genericOptions = options
        genericOptions.model = shipped.flatMap { $0.competencies.isEmpty ? $0 : nil }
        var foldTagger = try Tagger(framework: framework, options: genericOptions)
        if !vocabularyOnly {
            var foldOptions = options
            var trainer = ModelTrainer(framework: framework, options: options, settings: trainerSettings())
            foldOptions.model = try trainer.train(
                labelled: fitted, negativePages: pages, trainedOn: describe(fittedNames, pages: pages.count))
            if let chosen = trainer.chosen {
                print(
                    "\nfold \(name): chose L2 \(chosen.l2), threshold \(chosen.threshold) by inner cross-validation (micro-F1 \(format(chosen.f1)))"
                )
            }
            if CommandLine.arguments.contains("--inner-only") { continue }
            foldTagger = try Tagger(framework: framework, options: foldOptions)
        }
        let report = EvaluationReport(tagger: foldTagger, passages: heldOut)
        printReport(report, title: "held out: \(name) (fitted on dev + the other part)")
        let competency = report.competencyLevel()
        let hasFrench = heldOut.contains { $0.lang == .french }
        heldOutFigures.append(
            TaggingQuality.HeldOut(
                name: name, passages: heldOut.count, competencyPrecision: competency.micro.precision,
                competencyRecall: competency.micro.recall, competencyF1: competency.micro.f1,
                competencyMacroF1: competency.macroF1, domainF1: report.domainLevel().micro.f1,
                englishF1: report.competencyLevel(language: .english).micro.f1,
                frenchF1: hasFrench ? report.competencyLevel(language: .french).micro.f1 : nil))
        summary.append(
            "\(name): competency micro-F1 \(format(competency.micro.f1)) macro-F1 \(format(competency.macroF1)), domain micro-F1 \(format(report.domainLevel().micro.f1)), en \(format(report.competencyLevel(language: .english).micro.f1))"
                + (heldOut.contains { $0.lang == .french } ? ", fr \(format(report.competencyLevel(language: .french).micro.f1))" : ""))
    }
    let devReport = EvaluationReport(tagger: tagger, passages: dev)
    printReport(devReport, title: "dev (fitted on everything: a floor, not a prediction)")
    summary.append("dev: competency micro-F1 \(format(devReport.competencyLevel().micro.f1))")

    // Real negatives: whole pages through the same extraction as a scan.
    let negatives = try screenedNegatives()
    let extractor = Extractor()
    var tagged: [(String, String, [String])] = []
    var read = 0
    // Pages with tags claimed or withheld for scope (what a page would get if a person judged it in scope), and
    // pages with tags claimed per half of Eval/negatives.tsv (the scope rule was tuned on the odd lines only).
    var withheldOrTagged = 0
    var taggedByHalf = [0, 0]
    // Document scope: the negatives are split by their line in Eval/negatives.tsv, odd lines for tuning the scope
    // vocabulary and rule, even lines held out (never looked at while tuning).
    var scopeCounts = [(read: 0, inScope: [(String, String, String)]()), (read: 0, inScope: [(String, String, String)]())]
    for (position, negative) in negatives.enumerated() {
        guard let document = try? extractor.extract(try wcxbHTML(negative.id), contentType: "text/html") else { continue }
        read += 1
        let result = tagger.tag(document)
        let tags = result.tags
        if !tags.isEmpty { tagged.append((negative.id, negative.title, tags.map(\.competency))) }
        if !result.catalogTags.isEmpty { withheldOrTagged += 1 }
        if !tags.isEmpty { taggedByHalf[position % 2] += 1 }
        if CommandLine.arguments.contains("--negative-terms") {
            // What each tag on an unrelated page rests on: a diagnosis for precision rules, never for fitting.
            for tag in result.catalogTags {
                let terms = tag.evidence.map { "\(String(format: "%.2f", $0.score)):\($0.terms.joined(separator: "+"))" }
                print("NEG\t\(negative.id)\t\(tag.competency)\t\(String(format: "%.2f", tag.score))\t\(terms.joined(separator: " | "))")
            }
        }
        let half = position % 2
        scopeCounts[half].read += 1
        if result.scope.inScope { scopeCounts[half].inScope.append((negative.id, negative.title, result.scope.reason)) }
    }
    let share = read == 0 ? 0 : Double(tagged.count) / Double(read)
    print("\n== screened real negatives (Eval/negatives.tsv: \(read) WCXB articles read)")
    print("pages with any tag: \(tagged.count) of \(read) (\(String(format: "%.1f", share * 100))%)")
    let halves = [(read + 1) / 2, read / 2]
    print(
        "  tuning half (odd lines) \(taggedByHalf[0]) of \(halves[0]), held-out half (even lines) \(taggedByHalf[1]) of \(halves[1])"
            + " (\(String(format: "%.1f", Double(taggedByHalf[1]) / Double(max(halves[1], 1)) * 100))%)")
    let wouldBe = Double(withheldOrTagged) / Double(max(read, 1)) * 100
    print(
        "  with the tags withheld for scope counted too (what the pages would get if judged in scope): \(withheldOrTagged) of \(read) (\(String(format: "%.1f", wouldBe))%)"
    )
    for (id, title, tags) in tagged.prefix(listErrors ? tagged.count : 15) {
        print("  \(id) \(tags.joined(separator: ",")): \(title.prefix(70))")
    }
    summary.append(
        "negatives tagged: \(tagged.count)/\(read) (\(String(format: "%.1f", share * 100))%; held-out half \(taggedByHalf[1])/\(halves[1]); "
            + "with withheld tags \(withheldOrTagged)/\(read) (\(String(format: "%.1f", wouldBe))%))")

    // Document scope on the same negatives (each half apart) and on the shipped corpus, which is all on topic.
    print("\n== document scope (Framework.yaml `scope:`)")
    for (half, name) in [(0, "tuning half (odd lines of Eval/negatives.tsv)"), (1, "held-out half (even lines)")] {
        let counts = scopeCounts[half]
        let percent = counts.read == 0 ? 0 : Double(counts.inScope.count) / Double(counts.read) * 100
        print("negatives judged in scope, \(name): \(counts.inScope.count) of \(counts.read) (\(String(format: "%.1f", percent))%)")
        for (id, title, reason) in counts.inScope.prefix(listErrors ? counts.inScope.count : 10) {
            print("  \(id) \(title.prefix(60)): \(reason)")
        }
        summary.append(
            "negatives in scope, \(half == 0 ? "tuning" : "held-out") half: \(counts.inScope.count)/\(counts.read) (\(String(format: "%.1f", percent))%)"
        )
    }
    let corpus = try corpusDocuments()
    var outOfScope: [(String, String)] = []
    for (id, document) in corpus {
        let result = tagger.tag(document)
        if !result.scope.inScope { outOfScope.append((id, result.scope.reason)) }
    }
    let corpusPercent = corpus.isEmpty ? 0 : Double(corpus.count - outOfScope.count) / Double(corpus.count) * 100
    print(
        "shipped corpus (Corpus/, \(corpus.count) documents) judged in scope: \(corpus.count - outOfScope.count) of \(corpus.count) (\(String(format: "%.1f", corpusPercent))%)"
    )
    for (id, reason) in outOfScope { print("  out: \(id): \(reason)") }
    summary.append("corpus in scope: \(corpus.count - outOfScope.count)/\(corpus.count) (\(String(format: "%.1f", corpusPercent))%)")
    print("\n== summary")
    for line in summary { print(line) }
    // What the report's methods section quotes: written only when this run measured what ships.
    let measuresShipped =
        value(after: "--threshold", default: "").isEmpty && !CommandLine.arguments.contains("--model")
        && !CommandLine.arguments.contains("--vocabulary-only") && !CommandLine.arguments.contains("--inner-only")
    if measuresShipped {
        let quality = TaggingQuality(
            measuredAt: Date(), framework: framework, heldOut: heldOutFigures,
            developmentF1: devReport.competencyLevel().micro.f1, developmentPassages: dev.count,
            negativesTagged: TaggingQuality.Share(count: tagged.count, of: read),
            negativesInScope: TaggingQuality.Share(count: scopeCounts[1].inScope.count, of: scopeCounts[1].read),
            negativesByWordsAlone: TaggingQuality.Share(count: withheldOrTagged, of: read))
        let output = evalDirectory.appendingPathComponent("quality.json")
        try JSONStyle.data(quality).write(to: output, options: .atomic)
        print("wrote \(output.path): the figures `spscan report` quotes in its methods")
    }
} catch {
    FileHandle.standardError.write(Data("spscan-eval: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n".utf8))
    exit(2)
}

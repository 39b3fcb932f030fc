import ArgumentParser
import Foundation
import SPScan
import SPScanMatch
import SPScanModel

struct Tag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Tag one document against the framework, with scores and evidence.",
        discussion: """
            Prints the competencies the document covers, best first, each with its confidence (0 to 1) and the \
            passages that justify it. --explain also lists near misses (below threshold) and mentions that did \
            not count because they were negated or excluded.

            Examples:
              spscan tag course.txt
              spscan tag course.txt --format json
              cat passage.txt | spscan tag - --explain
            """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: ArgumentHelp("The document to tag, or - for standard input.", valueName: "file"))
    var file: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    // A string rather than `Language` itself, so that no module-wide conformance of a model type to
    // ExpressibleByArgument is declared here (another command may want its own).
    @Option(
        help: ArgumentHelp(
            "\(Language.allowedList); detected from the text when omitted. A language the framework has no terms in is not tagged.",
            valueName: "language"))
    var language: String?

    func validate() throws {
        if let language, Language(rawValue: language) == nil {
            throw ValidationError("unknown language '\(language)'; use \(Language.allowedList), or omit --language to detect it")
        }
    }

    @Flag(help: "Also list near misses and discounted (negated or excluded) mentions.")
    var explain = false

    func run() async throws {
        _ = project.bootstrapLogging()
        let outcome = try DocumentTagging.tag(
            path: file, language: language.flatMap(Language.init(rawValue:)), framework: project.paths.framework)
        switch format {
        case .json:
            print(try TagOutput(outcome.result, explain: explain).jsonString())
        case .text:
            print(TagOutput.text(outcome.result, names: outcome.names, explain: explain), terminator: "")
        }
    }
}

/// The JSON shape of `spscan tag --format json`: stable, documented in docs/match.md.
struct TagOutput: Encodable {
    struct TagEntry: Encodable {
        var competency: String
        var domain: String
        var score: Double
        var evidence: [EvidenceEntry]
    }

    struct EvidenceEntry: Encodable {
        var text: String
        var start: Int
        var end: Int
        var heading: String
        var terms: [String]
        var spans: [Span]
        var score: Double
    }

    var language: Language
    /// `matched`, or `other_language` with the `reason` when the framework has no terms in the document's language.
    var outcome: TaggingOutcome
    var reason: String?
    /// The document's scope judgement: whether it is about the framework's field, and the passages that show it.
    var inScope: Bool
    var scopeReason: String
    var scopeEvidence: [EvidenceEntry]
    var tags: [TagEntry]
    /// The tags a document judged out of scope would carry if it were in scope: not claimed (docs/match.md).
    var withheld: [TagEntry]
    var nearMisses: [TagEntry]?
    var discounted: [DiscountedMention]?

    init(_ result: TaggingResult, explain: Bool) {
        language = result.language
        outcome = result.outcome
        reason = result.reason
        inScope = result.scope.inScope
        scopeReason = result.scope.reason
        scopeEvidence = result.scope.evidence.map(Self.evidence)
        tags = result.tags.map(Self.entry)
        withheld = result.withheld.map(Self.entry)
        if explain {
            nearMisses = result.nearMisses.map(Self.entry)
            discounted = result.discounted
        }
    }

    static func entry(_ tag: SPScanModel.Tag) -> TagEntry {
        TagEntry(competency: tag.competency, domain: tag.domain, score: tag.score, evidence: tag.evidence.map(evidence))
    }

    static func evidence(_ item: Evidence) -> EvidenceEntry {
        EvidenceEntry(
            text: item.text, start: item.start, end: item.end, heading: item.heading, terms: item.terms, spans: item.spans,
            score: item.score)
    }

    /// A reading for people: each tag with its score, then its evidence with the matched words in [brackets].
    static func text(_ result: TaggingResult, names: [String: String], explain: Bool) -> String {
        var out = ""
        if result.outcome == .otherLanguage {
            out += "Not tagged: \(result.reason ?? "the framework has no terms in this language").\n"
        } else if !result.withheld.isEmpty {
            out += "No tag claimed: the document is judged out of scope (below).\n"
        } else if result.tags.isEmpty {
            out += "No competency reached its threshold.\n"
        }
        for tag in result.tags { out += describe(tag, names) }
        out += "\n\(result.scope.inScope ? "In scope" : "Out of scope"): \(result.scope.reason).\n"
        for evidence in result.scope.evidence.prefix(explain ? 3 : 1) {
            out += "  [\(evidence.start)-\(evidence.end)]  \(marked(evidence))\n"
        }
        if !result.withheld.isEmpty {
            // Shown, not hidden: a person who finds the judgement wrong sees what an override would count.
            out += "\nWithheld because the document is out of scope (in a project, `spscan review DOC --in-scope` counts them):\n"
            for tag in result.withheld { out += describe(tag, names) }
        }
        if explain {
            out += "\nNear misses (below threshold):\n"
            if result.nearMisses.isEmpty { out += "  none\n" }
            for tag in result.nearMisses { out += describe(tag, names) }
            out += "\nMentions that did not count:\n"
            if result.discounted.isEmpty { out += "  none\n" }
            for mention in result.discounted {
                out += "  \(mention.competency)  '\(mention.term)' at \(mention.start)-\(mention.end): "
                switch mention.reason {
                case .negated: out += "negated by '\(mention.cause)'\n"
                case .excluded: out += "excluded by '\(mention.cause)'\n"
                case .generic: out += "generic (\(mention.cause)), and no specific term beside it\n"
                case .audience: out += "names the audience after '\(mention.cause)', not the content\n"
                }
            }
        }
        return out
    }

    private static func describe(_ tag: SPScanModel.Tag, _ names: [String: String]) -> String {
        var out = "\(tag.competency)  \(String(format: "%.2f", tag.score))  \(names[tag.competency] ?? "")\n"
        for evidence in tag.evidence {
            out += "  [\(evidence.start)-\(evidence.end)] \(String(format: "%.2f", evidence.score))  \(marked(evidence))\n"
            out += "    terms: \(evidence.terms.joined(separator: ", "))\n"
        }
        return out
    }

    /// The passage with each matched span in [brackets]; a long passage is cut to a window around its first
    /// match, so that one huge block (a PDF page without paragraphs) prints as quickly as a short one.
    static func marked(_ evidence: Evidence) -> String {
        let scalars = Array(evidence.text.unicodeScalars)
        let first = evidence.spans.map(\.start).min() ?? 0
        let window = max(0, first - 80)..<min(scalars.count, max(0, first - 80) + 400)
        var out = String.UnicodeScalarView()
        if window.lowerBound > 0 { out.append("…") }
        var position = window.lowerBound
        for span in evidence.spans.sorted(by: { $0.start < $1.start })
        where span.start >= position && span.end <= window.upperBound {
            out.append(contentsOf: scalars[position..<span.start])
            out.append("[")
            out.append(contentsOf: scalars[span.start..<span.end])
            out.append("]")
            position = span.end
        }
        out.append(contentsOf: scalars[min(position, window.upperBound)..<window.upperBound])
        if window.upperBound < scalars.count { out.append("…") }
        return String(out)
    }
}

import Foundation
import SPScanModel

/// What the report is built from: the documents (with review decisions already applied) and the framework.
public struct ReportInput: Sendable {
    public var documents: [TaggedDocument]
    public var framework: Framework
    public var title: String
    public var generatedAt: Date
    /// Sources in the registry, counting those with no document yet; nil counts the sources of the documents.
    public var registeredSources: Int?
    /// Documents listed under each competency, best first; the rest are counted, so that a large corpus still
    /// gives a report a browser opens quickly.
    public var documentsPerCompetency: Int
    /// Evidence passages shown per document and competency.
    public var passagesPerDocument: Int
    /// The scan, framework and filters the report counts, written on its first page.
    public var provenance: Provenance?
    /// The decisions of Reviews.yaml: accepted tags are marked as such beside their evidence.
    public var reviews: [ReviewDecision]
    /// The tagger's measured quality (Eval/quality.json), quoted in the methods; nil says none was measured.
    public var quality: TaggingQuality?
    /// The coverage-over-time section (charts over the last scans), made by whoever holds the scan history.
    public var history: String?

    public init(
        documents: [TaggedDocument], framework: Framework, title: String = "Social prescribing training: coverage report",
        generatedAt: Date = Date(), registeredSources: Int? = nil, documentsPerCompetency: Int = 50,
        passagesPerDocument: Int = 2
    ) {
        self.documents = documents
        self.framework = framework
        self.title = title
        self.generatedAt = generatedAt
        self.registeredSources = registeredSources
        self.documentsPerCompetency = documentsPerCompetency
        self.passagesPerDocument = passagesPerDocument
        provenance = nil
        reviews = []
        quality = nil
        history = nil
    }
}

/// The self-contained HTML report: summary figures, heatmaps, gaps, and the evidence for every competency.
///
/// One file that opens without a network (styles and the small sorting and filtering script are inline, and a
/// Content-Security-Policy forbids anything else), so that it can be mailed or archived as it is. Everything
/// that came from a fetched document is escaped, and only http and https links are made clickable.
public enum Report {
    public static func html(input given: ReportInput) -> String {
        // Out-of-scope documents are left out of every figure; the summary says how many and how to see them.
        var input = given
        input.documents = given.documents.inScope
        let leftOut = given.documents.count - input.documents.count
        let documents = input.documents
        let framework = input.framework
        let byInstitution = CoverageMatrix.build(
            documents: documents, framework: framework, rows: .institution, columns: .competency)
        let byTargetGroup = CoverageMatrix.build(
            documents: documents, framework: framework, rows: .targetGroup, columns: .competency)
        let byCountry = CoverageMatrix.build(documents: documents, framework: framework, rows: .country, columns: .competency)
        let gaps = Gaps.find(matrix: byTargetGroup, documents: documents, framework: framework)

        var body = ""
        body += "<p class=\"meta\">Generated \(Escaping.html(timestamp(input.generatedAt))) against "
        body += "\(Escaping.html(framework.title)) (version \(Escaping.html(framework.version))).</p>\n"
        body += HTMLExporter.provenanceList(input.provenance)
        body += sampleBanner(documents)
        body += summary(input, byCountry: byCountry)
        body += otherLanguageNote(input)
        if leftOut > 0 { body += "<p class=\"meta\">" + Escaping.html(ScopeCount.leftOutSentence(leftOut)) + "</p>\n" }
        body += "<section id=\"largest-gaps\"><h2>Largest gaps</h2>\n" + HTMLExporter.gapList(gaps, limit: 8) + "</section>\n"
        body += DomainChart.section(
            [
                ("Competencies covered per domain, by country", byCountry),
                ("Competencies covered per domain, by target group", byTargetGroup),
            ],
            framework: framework)
        if let history = input.history { body += history + "\n" }
        body += filterControls(documents)
        body +=
            "<nav><a href=\"#coverage-by-domain\">By domain</a> · <a href=\"#by-institution\">By institution</a> · <a href=\"#by-target-group\">By target group</a> · "
        body += "<a href=\"#by-country\">By country</a> · <a href=\"#gaps\">Gaps</a> · <a href=\"#evidence\">Evidence</a> · "
        body += "<a href=\"#methods\">Methods and limitations</a> · <a href=\"#sources\">Sources</a></nav>\n"
        body += "<section id=\"by-institution\"><h2>Coverage by institution</h2>\n"
        body += HTMLExporter.heatmap(
            byInstitution, caption: "Documents covering each competency, by institution (\(plural(documents.count, "document")))")
        body += "</section>\n<section id=\"by-target-group\"><h2>Coverage by target group</h2>\n"
        body += HTMLExporter.heatmap(
            byTargetGroup,
            caption: "Documents covering each competency, by target group (a document for several groups counts in each)")
        body += "</section>\n<section id=\"by-country\"><h2>Coverage by country</h2>\n"
        body += HTMLExporter.heatmap(byCountry, caption: "Documents covering each competency, by country")
        body += "<h3>Competencies</h3>\n" + HTMLExporter.legend(byInstitution) + "</section>\n"
        body += "<section id=\"gaps\"><h2>Gaps, largest first</h2>\n"
        body += "<p>Competencies no document covers, target groups with no documents or no coverage, competencies only one "
        body += "institution covers, and the target groups that miss a competency.</p>\n"
        body += HTMLExporter.gapList(gaps, limit: 25)
        if gaps.gaps.count > 25 {
            body += "<details><summary>All \(gaps.gaps.count) gaps</summary>\n" + HTMLExporter.gapList(gaps) + "</details>\n"
        }
        body += "</section>\n<section id=\"evidence\"><h2>Evidence by competency</h2>\n"
        body += "<p>For each competency, the documents that cover it, best score first, with the passages that justify "
        body += "the tag; the words that matched are highlighted.</p>\n"
        body += evidence(input)
        body += "</section>\n"
        body += methods(input, leftOut: leftOut)
        body += sourceList(documents)
        return page(title: input.title, body: body)
    }

    // MARK: Sections

    static func sampleBanner(_ documents: [TaggedDocument]) -> String {
        let samples = documents.filter { $0.origin == .sample }.count
        guard samples > 0 else { return "" }
        let all = samples == documents.count
        return "<div class=\"banner\" role=\"note\"><strong>Built from samples, not captures.</strong> "
            + (all
                ? "Every document in this report is an authored sample"
                : "\(samples) of the \(documents.count) documents in this report "
                    + (samples == 1 ? "is an authored sample" : "are authored samples"))
            + ": summaries written by the spscan team in their own words, standing in for documents that were not captured "
            + "from the web. Figures describe the samples; run <code>spscan scan</code> with network access to replace them "
            + "with captures.</div>\n"
    }

    static func summary(_ input: ReportInput, byCountry: CoverageMatrix) -> String {
        let documents = input.documents
        let samples = documents.filter { $0.origin == .sample }.count
        let sourcesWithDocuments = Set(documents.map(\.sourceID)).count
        let sources = input.registeredSources.map { "\(sourcesWithDocuments) of \($0)" } ?? String(sourcesWithDocuments)
        let covered = byCountry.columnTotals.filter { $0.count > 0 }.count
        let figures: [(String, String)] = [
            ("Documents", String(documents.count)),
            ("Sources with documents", sources),
            ("Institutions", String(Set(documents.map(\.institution)).count)),
            ("Countries", String(Set(documents.map(\.country)).count)),
            ("Captured from the web", String(documents.count - samples)),
            ("Authored samples", String(samples)),
            ("Competencies covered", "\(covered) of \(byCountry.columns.count)"),
            ("In another language (not tagged)", String(OtherLanguageCount(documents: documents, framework: input.framework).total)),
        ]
        var html = "<section id=\"summary\"><h2>Summary</h2>\n<dl class=\"figures\">\n"
        for (name, value) in figures {
            html += "<div><dt>\(Escaping.html(name))</dt><dd>\(Escaping.html(value))</dd></div>\n"
        }
        return html + "</dl>\n</section>\n"
    }

    /// A line under the summary naming the documents no vocabulary could read, by language.
    static func otherLanguageNote(_ input: ReportInput) -> String {
        let count = OtherLanguageCount(documents: input.documents, framework: input.framework)
        guard count.total > 0 else { return "" }
        return "<p class=\"meta\">" + Escaping.html(count.sentence) + "</p>\n"
    }

    static func filterControls(_ documents: [TaggedDocument]) -> String {
        var html = "<form class=\"filters\" role=\"search\" onsubmit=\"return false\">\n"
        html += "<label for=\"filter-text\">Filter rows</label> "
        html += "<input type=\"search\" id=\"filter-text\" placeholder=\"institution, title, words…\">\n"
        html += "<label for=\"filter-country\">Country</label> <select id=\"filter-country\"><option value=\"\">All</option>"
        for country in Set(documents.map(\.country)).sorted() {
            html += "<option value=\"\(country.rawValue)\">\(Escaping.html(country.name))</option>"
        }
        html += "</select>\n<span id=\"filter-count\" aria-live=\"polite\"></span>\n</form>\n"
        return html
    }

    static func evidence(_ input: ReportInput) -> String {
        let accepted = AcceptedReviews(input.reviews)
        var byCompetency: [String: [(document: TaggedDocument, tag: Tag)]] = [:]
        for document in input.documents {
            for tag in document.tags {
                byCompetency[tag.competency.uppercased(), default: []].append((document, tag))
            }
        }
        var html = ""
        for domain in input.framework.domains {
            html += "<h3 class=\"domain\">\(Escaping.html(domain.id)) \(Escaping.html(domain.name))</h3>\n"
            for competency in domain.competencies {
                let found = (byCompetency[competency.id.uppercased()] ?? []).sorted {
                    $0.tag.score != $1.tag.score ? $0.tag.score > $1.tag.score : $0.document.id < $1.document.id
                }
                html += "<section class=\"competency\" id=\"c-\(Escaping.html(competency.id))\">\n"
                html += "<h4>\(Escaping.html(competency.id)) \(Escaping.html(competency.name)) "
                html += "<span class=\"count\">\(plural(found.count, "document"))</span></h4>\n"
                html += "<p class=\"description\">\(Escaping.html(competency.description))</p>\n"
                guard !found.isEmpty else {
                    html += "<p class=\"none\">No document covers this competency.</p>\n</section>\n"
                    continue
                }
                html += "<table class=\"evidence sortable\"><caption>Documents covering \(Escaping.html(competency.id))"
                html += ", best first</caption>\n<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Institution</th>"
                html += "<th scope=\"col\">Country</th><th scope=\"col\">Target groups</th><th scope=\"col\">Score</th>"
                html += "<th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n"
                // The best few in view; the rest folded, so that the report (and its PDF) stays a readable length.
                let listed = Array(found.prefix(input.documentsPerCompetency))
                for (document, tag) in listed.prefix(Self.unfolded) {
                    html += row(
                        document: document, tag: tag, passages: input.passagesPerDocument,
                        review: accepted[document.id, tag.competency])
                }
                html += "</tbody>\n</table>\n"
                if listed.count > Self.unfolded {
                    html += "<details><summary>\(listed.count - Self.unfolded) more documents covering \(Escaping.html(competency.id))"
                    html +=
                        "</summary>\n<table class=\"evidence sortable\"><caption>More documents covering \(Escaping.html(competency.id))"
                    html += "</caption>\n<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Institution</th>"
                    html += "<th scope=\"col\">Country</th><th scope=\"col\">Target groups</th><th scope=\"col\">Score</th>"
                    html += "<th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n"
                    for (document, tag) in listed.dropFirst(Self.unfolded) {
                        html += row(
                            document: document, tag: tag, passages: input.passagesPerDocument,
                            review: accepted[document.id, tag.competency])
                    }
                    html += "</tbody>\n</table></details>\n"
                }
                if found.count > input.documentsPerCompetency {
                    html += "<p class=\"more\">\(found.count - input.documentsPerCompetency) more documents cover it; "
                    html += "<code>spscan query \(Escaping.html(competency.id))</code> lists them all.</p>\n"
                }
                html += "</section>\n"
            }
        }
        return html
    }

    /// Documents shown per competency before the rest fold under a disclosure.
    static let unfolded = 3

    /// How the figures were made and what they cannot say: for a reader who was not there.
    static func methods(_ input: ReportInput, leftOut: Int) -> String {
        let samples = input.documents.filter { $0.origin == .sample }.count
        var html = "<section id=\"methods\"><h2>Methods and limitations</h2>\n"
        html += "<h3>How documents were found</h3>\n<p>Each document comes from a source registered by hand in Sources.yaml "
        html += "(an institution's training page, curriculum, guide or framework), fetched within its site's robots.txt, stored "
        html += "as a snapshot, and read for its main text. A source is an address a person chose: training that no registered "
        html += "source describes is not in the counts, so a gap can mean missing training or a missing source.</p>\n"
        html += "<h3>How tags are made</h3>\n<p>A tag says that a document teaches, requires or describes a competency of "
        html += "\(Escaping.html(input.framework.title)) (version \(Escaping.html(input.framework.version))). The tagger matches "
        html += "each competency's vocabulary in English and French (stemmed, with exclusions) and scores the passages; a tag "
        html += "needs a score above the competency's threshold and is backed by the passages shown under Evidence, with the "
        html += "matched words marked. One generic word is never enough. A person can accept or reject any tag (Reviews.yaml); "
        html += "the counts apply those decisions.</p>\n"
        html += "<h3>Tagging quality</h3>\n" + quality(input)
        html += "<h3>Samples and scope</h3>\n<p>An authored sample is a summary written by the project standing in for a page "
        html += "that could not be captured; it is counted but marked, and figures that include samples do not describe real "
        html += "training (\(plural(samples, "sample")) here). "
        if input.framework.scope == nil {
            html += "This framework sets no scope, so every document of a registered source is counted.</p>\n"
        } else {
            html += "Each document is also judged in or out of the field's scope (is it about link work, social prescribing, "
            html += "community navigation, or training for them?) from the field's terms in its text; a person can override the "
            html += "judgement. Documents out of scope keep their tags in the catalog but count in no figure of this report "
            html += "(\(plural(leftOut, "document")) left out here).</p>\n"
        }
        html += "<h3>Filters</h3>\n<p>\(Escaping.html(input.provenance?.filters ?? "none")): every section of this report counts "
        html += "the same documents.</p>\n</section>\n"
        return html
    }

    /// The figures of `make eval`, or a plain statement that none were measured: a reader must not take the tags
    /// on trust.
    static func quality(_ input: ReportInput) -> String {
        var html = "<p>The tagger is measured by <code>make eval</code> on labelled passages it was not fitted on (each "
        html += "labelled set in turn is held out while the vocabulary is fitted on the others) and on real web pages outside "
        html += "the field. Tags are a reading aid with known errors: check the evidence before quoting a count.</p>\n"
        guard let quality = input.quality else {
            return html + "<p>No measurement is recorded beside this framework (\(Escaping.html(TaggingQuality.fileName)), "
                + "written by <code>make eval</code>), so this report gives no quality figure.</p>\n"
        }
        func figure(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "–" }
        html += "<table class=\"quality\"><caption>Measured \(Escaping.html(timestamp(quality.measuredAt))) against "
        html += "\(Escaping.html(quality.frameworkID)) version \(Escaping.html(quality.frameworkVersion))</caption>\n"
        html += "<thead><tr><th scope=\"col\">Held-out set</th><th scope=\"col\">Passages</th><th scope=\"col\">Precision</th>"
        html += "<th scope=\"col\">Recall</th><th scope=\"col\">F1 (competency)</th><th scope=\"col\">F1 (domain)</th>"
        html += "<th scope=\"col\">F1 English</th><th scope=\"col\">F1 French</th></tr></thead>\n<tbody>\n"
        for part in quality.heldOut {
            html += "<tr><th scope=\"row\">\(Escaping.html(part.name))</th><td class=\"num\">\(part.passages)</td>"
            for value in [part.competencyPrecision, part.competencyRecall, part.competencyF1, part.domainF1] {
                html += "<td class=\"num\">\(figure(value))</td>"
            }
            html += "<td class=\"num\">\(figure(part.englishF1))</td><td class=\"num\">\(figure(part.frenchF1))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n<p>Precision is the share of tags that a careful reader following the codebook would "
        html += "also give; recall the share of such a reader's tags that the tagger finds. "
        html += "Of \(quality.negativesTagged.of) real web pages about other subjects, "
        html += String(format: "%.1f", quality.negativesTagged.percent) + "% got at least one tag, and "
        html += String(format: "%.1f", quality.negativesInScope.percent) + "% of a held-out half were judged in scope "
        html += "(only documents in scope count here). "
        if let words = quality.negativesByWordsAlone {
            html += "Their words alone would have tagged " + String(format: "%.1f", words.percent) + "% of them: that "
            html += "precision rests on the judgement of scope, so a document wrongly judged in scope brings its wrong tags. "
        }
        html += "On the \(quality.developmentPassages) development passages, which "
        html += "the vocabulary was written against, F1 is \(figure(quality.developmentF1)): a floor, not a prediction.</p>\n"
        if quality.frameworkID != input.framework.id || quality.frameworkVersion != input.framework.version {
            html += "<p class=\"banner\">These figures were measured on \(Escaping.html(quality.frameworkID)) version "
            html += "\(Escaping.html(quality.frameworkVersion)), not the \(Escaping.html(input.framework.version)) this report "
            html += "uses: run <code>make eval</code> again.</p>\n"
        }
        return html
    }

    /// Each source with its address and when it was last captured.
    static func sourceList(_ documents: [TaggedDocument]) -> String {
        var latest: [String: TaggedDocument] = [:]
        for document in documents {
            if let known = latest[document.sourceID], (known.fetchedAt ?? .distantPast) >= (document.fetchedAt ?? .distantPast) { continue }
            latest[document.sourceID] = document
        }
        var html = "<section id=\"sources\"><h2>Sources</h2>\n<table class=\"sources\"><caption>\(plural(latest.count, "source"))"
        html += " with documents in this report</caption>\n<thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Institution</th>"
        html += "<th scope=\"col\">Address</th><th scope=\"col\">Last capture</th></tr></thead>\n<tbody>\n"
        for document in latest.values.sorted(by: { $0.sourceID < $1.sourceID }) {
            html += "<tr><th scope=\"row\">\(Escaping.html(document.sourceID))</th><td>\(Escaping.html(document.institution))</td>"
            html += "<td class=\"url\">\(Escaping.html(document.url))</td><td>"
            html += document.origin == .sample ? "authored sample" : (document.fetchedAt.map { Escaping.html(timestamp($0)) } ?? "–")
            html += "</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    static func row(document: TaggedDocument, tag: Tag, passages: Int, review: ReviewDecision? = nil) -> String {
        var html = "<tr data-country=\"\(document.country.rawValue)\">"
        html += "<th scope=\"row\">\(link(document))"
        if document.origin == .sample { html += " <span class=\"sample\">sample</span>" }
        html += "</th><td>\(Escaping.html(document.institution))</td><td>\(Escaping.html(document.country.name))</td>"
        html += "<td>\(Escaping.html(document.targetGroups.map(\.label).joined(separator: "; ")))</td>"
        html += "<td class=\"num\" data-value=\"\(ValueText.trimmed(tag.score))\">\(String(format: "%.2f", tag.score))"
        if let review { html += "<br><span class=\"reviewed\">" + Escaping.html(AcceptedReviews.mark(review)) + "</span>" }
        html += "</td><td>"
        let best = tag.evidence.sorted { $0.score > $1.score }.prefix(passages)
        for evidence in best {
            html += "<blockquote>"
            let place = [evidence.heading.isEmpty ? nil : evidence.heading, evidence.page.map { "page \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            if !place.isEmpty { html += "<cite>\(Escaping.html(place))</cite> " }
            html += highlighted(evidence.text, spans: evidence.spans) + "</blockquote>"
        }
        if best.isEmpty { html += "<span class=\"none\">no passage recorded</span>" }
        return html + "</td></tr>\n"
    }

    /// The document's title linked to its address, when the address is http or https: a `javascript:` URL from
    /// a hostile page must never become a link in our report.
    static func link(_ document: TaggedDocument) -> String {
        let title = Escaping.html(document.title.isEmpty ? document.url : document.title)
        let lower = document.url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
            return "\(title) <span class=\"url\">\(Escaping.html(document.url))</span>"
        }
        return "<a href=\"\(Escaping.html(document.url))\" rel=\"noopener noreferrer\">\(title)</a>"
    }

    /// A passage with its matched spans in `<mark>`, escaped; long passages are cut to a window around the first
    /// match so that a page of text does not swamp the table (`window: nil` keeps it whole).
    ///
    /// Spans are offsets in Unicode scalars of the passage (as the matcher counts them); spans out of range or
    /// overlapping are clamped and merged rather than trusted. The blank line between two blocks of a passage
    /// (list items, paragraphs) becomes a line break, so that a list reads as a list and not as one run-on line.
    public static func highlighted(_ text: String, spans: [Span], window: Int? = 600) -> String {
        let scalars = Array(text.unicodeScalars)
        var ranges: [(Int, Int)] = []
        for span in spans.sorted(by: { $0.start < $1.start }) {
            let start = min(max(0, span.start), scalars.count)
            let end = min(max(start, span.end), scalars.count)
            guard start < end else { continue }
            if let last = ranges.last, start <= last.1 {
                ranges[ranges.count - 1].1 = max(last.1, end)
            } else {
                ranges.append((start, end))
            }
        }
        var from = 0
        var to = scalars.count
        if let window, scalars.count > window {
            from = max(0, (ranges.first?.0 ?? 0) - window / 3)
            to = min(scalars.count, from + window)
        }
        func piece(_ lower: Int, _ upper: Int) -> String {
            guard lower < upper else { return "" }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[lower..<upper])
            return Escaping.html(String(view)).replacingOccurrences(of: "\n\n", with: "<br>").replacingOccurrences(of: "\n", with: "<br>")
        }
        var html = from > 0 ? "…" : ""
        var position = from
        for (start, end) in ranges where end > from && start < to {
            let lower = max(start, position)
            let upper = min(end, to)
            html += piece(position, lower) + "<mark>" + piece(lower, upper) + "</mark>"
            position = upper
        }
        html += piece(position, to)
        return html + (to < scalars.count ? "…" : "")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    // MARK: Page

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <title>\(Escaping.html(title))</title>
        <style>\(HTMLExporter.styles)
        \(styles)</style>
        </head>
        <body>
        <h1>\(Escaping.html(title))</h1>
        \(body)<script>\(script)</script>
        </body>
        </html>

        """
    }

    static let styles = """
        .meta{color:#57606a}.banner{border:2px solid #b35900;background:#fff4e5;padding:.75rem 1rem;margin:1rem 0;border-radius:6px}
        dl.figures{display:flex;flex-wrap:wrap;gap:.75rem;margin:0}dl.figures div{border:1px solid #d0d7de;border-radius:6px;\
        padding:.5rem .9rem;min-width:9rem}dl.figures dt{font-size:.85em;color:#57606a}dl.figures dd{margin:0;font-size:1.5em;font-weight:600}
        form.filters{position:sticky;top:0;background:#fff;padding:.6rem 0;border-bottom:1px solid #d0d7de;z-index:2}
        nav{margin:.8rem 0}section.competency{margin:1.2rem 0 2rem}h4 .count{font-weight:400;color:#57606a;font-size:.9em}
        .description{color:#3d444d;max-width:60rem}table.evidence td,table.evidence th{vertical-align:top}
        table.evidence blockquote{margin:0 0 .4rem;padding-left:.6rem;border-left:3px solid #d0d7de;max-width:42rem}
        cite{display:block;font-size:.85em;color:#57606a;font-style:normal}mark{background:#fff3a3;padding:0 .1em}
        .sample{font-size:.75em;border:1px solid #b35900;color:#b35900;border-radius:3px;padding:0 .3em}
        .url{color:#57606a;font-size:.85em;word-break:break-all}.none{color:#57606a;font-style:italic}
        th button{font:inherit;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:inherit}
        [hidden]{display:none}.reviewed{font-size:.75em;color:#1a7f37;white-space:nowrap}
        figure.chart{display:inline-block;vertical-align:top;margin:0 1.5rem 1rem 0;max-width:100%}
        svg.domain-chart{width:37rem;max-width:100%;height:auto}table.quality td,table.quality th{padding:.2rem .5rem}
        @page{size:A4 landscape;margin:10mm}
        @media print{body{font-size:9pt;max-width:none;margin:0;padding:0}figure.chart{width:48%;margin:0 1% 0 0}\
        svg.domain-chart{width:100%}figure.chart{break-inside:avoid}form.filters,nav,th button{display:none}
        section#coverage-by-domain,section#by-institution,section#by-target-group,section#by-country,section#gaps,section#evidence,section#methods,section#sources\
        {break-before:page}h2,h3,h4{break-after:avoid}tr{break-inside:avoid}
        table.heatmap{font-size:6.5pt}table.heatmap th,table.heatmap td{padding:1px 2px}table.heatmap th[scope=row]{min-width:0;max-width:12rem}
        thead th{position:static}td,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        details:not([open])>table{display:none}
        table.evidence{font-size:8pt}table.evidence blockquote+blockquote{display:none}
        table.evidence blockquote{max-height:5.5em;overflow:hidden}section.competency{margin:.4rem 0 .8rem}
        .description{display:none}section.competency{break-inside:auto}}
        """

    /// Sorting (click a column header: a button, so the keyboard works) and filtering (text and country) over
    /// every table marked `sortable`. Progressive: without script the report is complete, only static.
    static let script = """
        (function(){
        function key(cell){if(!cell)return '';var v=cell.getAttribute('data-value');if(v!==null)return parseFloat(v);
        var t=cell.textContent.trim();var n=parseFloat(t);return (isNaN(n)||!/^[0-9.]+%?$/.test(t))?t.toLowerCase():n;}
        document.querySelectorAll('table.sortable').forEach(function(table){
        var heads=table.querySelectorAll('thead th');heads.forEach(function(th,index){
        var b=document.createElement('button');b.type='button';while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);
        b.addEventListener('click',function(){var body=table.tBodies[0];if(!body)return;
        var down=th.getAttribute('aria-sort')!=='descending';heads.forEach(function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',down?'descending':'ascending');
        var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=key(a.cells[index]),y=key(b.cells[index]);
        if(typeof x===typeof y){return (x<y?-1:x>y?1:0)*(down?-1:1);}return typeof x==='number'?-1:1;});
        rows.forEach(function(r){body.appendChild(r);});});});});
        var text=document.getElementById('filter-text'),country=document.getElementById('filter-country'),
        count=document.getElementById('filter-count');
        function apply(){var q=text.value.trim().toLowerCase(),c=country.value,shown=0,all=0;
        document.querySelectorAll('table.evidence tbody tr').forEach(function(r){all++;
        var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!c||r.getAttribute('data-country')===c);
        r.hidden=!ok;if(ok)shown++;});
        document.querySelectorAll('#by-institution table.heatmap tbody tr').forEach(function(r){
        r.hidden=!!q&&r.cells[0].textContent.toLowerCase().indexOf(q)<0;});
        count.textContent=(q||c)?(shown+' of '+all+' evidence rows shown'):'';}
        if(text&&country){text.addEventListener('input',apply);country.addEventListener('change',apply);}
        })();
        """
}

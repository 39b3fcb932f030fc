import ArgumentParser
import Foundation
import SPScan
import SPScanExtract
import SPScanModel

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the extracted main text of files or URLs.",
        discussion: """
            Reads HTML, PDF, DOCX, ODT, Markdown and plain text; the format is found from the file's content. \
            `--format text` prints the main text, blocks separated by blank lines; `--format json` prints one \
            JSON object per input and line: title, language, kind and passages (text, heading, page, start, \
            end, language), its `outcome` (`text`, `empty`, `scanned` or `unreadable`) and the `reason`. A \
            document that gives no text is reported on standard error with its outcome and the others are \
            still extracted (exit 1). Use `-` to read standard input. A file whose name starts with `-` goes \
            after `--`, which ends the options: `spscan extract -- -notes.html`. One document may be at most \
            64 MB: a larger file is refused by its size, and standard input is stopped at the limit.

            Examples:
              spscan extract page.html
              spscan extract curriculum.pdf --format json
              spscan extract downloads/*.pdf --format json > passages.jsonl
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Output: the main text, or one JSON object per input.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Stop reading a PDF after this many seconds.", valueName: "seconds"))
    var pdfTimeout: Int = 60

    @Flag(help: "Allow private, loopback and link-local addresses for URL inputs.")
    var allowPrivate = false

    @Argument(help: ArgumentHelp("Files or http(s) URLs to extract (`-` for standard input).", valueName: "file-or-url"))
    var inputs: [String]

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one file to extract") }
        guard pdfTimeout > 0 else { throw ValidationError("--pdf-timeout must be at least 1 second") }
    }

    func isURL(_ input: String) -> Bool { input.hasPrefix("http://") || input.hasPrefix("https://") }

    func run() async throws {
        let logger = project.bootstrapLogging()
        for input in inputs where input != "-" && !isURL(input) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else {
                throw CommandProblem.badInput("\(input): no such readable file; check the path")
            }
            if isFolder.boolValue {
                throw CommandProblem.badInput("\(input): is a folder; give the files in it instead (e.g. \(input)/*)")
            }
            guard FileManager.default.isReadableFile(atPath: input) else {
                throw CommandProblem.badInput("\(input): permission denied; check the file's permissions")
            }
        }
        let extractor = Extractor(limits: ExtractionLimits(pdfTimeout: .seconds(pdfTimeout)))
        var failed: [String] = []
        for (index, input) in inputs.enumerated() {
            do {
                let document: ExtractedDocument
                if isURL(input), let url = URL(string: input) {
                    let fetched = try await RemoteDocument.fetch(url, allowPrivate: allowPrivate, logger: logger)
                    document = try extractor.extract(
                        fetched.data, contentType: fetched.contentType, filename: fetched.finalURL.lastPathComponent,
                        baseURL: fetched.finalURL)
                } else {
                    let data = try DocumentInput.read(path: input, limit: extractor.limits.maxInputBytes)
                    document = try extractor.extract(data, filename: input == "-" ? nil : input)
                }
                switch format {
                case .json:
                    print(try ExtractionSummary(input: input, document: document).jsonLine())
                case .text:
                    if inputs.count > 1 { print("\(index > 0 ? "\n" : "")==> \(input) <==") }
                    print(document.text)
                }
                if document.outcome == .empty {
                    let problem = ExtractError.emptyDocument(reason: document.outcomeReason ?? "no text found")
                    printError("\(input): error: \(problem.errorDescription ?? "document holds no text")")
                    failed.append(input)
                }
            } catch {
                if format == .json, let extractError = error as? ExtractError {
                    print(try ExtractionSummary(input: input, error: extractError).jsonLine())
                }
                printError("\(input): error: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
                failed.append(input)
            }
        }
        if !failed.isEmpty {
            throw CommandProblem.someWorkFailed(
                "\(failed.count) of \(inputs.count) inputs gave no text: \(failed.joined(separator: ", "))")
        }
    }
}

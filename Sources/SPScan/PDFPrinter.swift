import Foundation

/// The report as PDF, printed by headless Chromium from the same HTML: its print stylesheet (A4 landscape, page
/// breaks) decides the pages, so the PDF and a browser's own print agree. No PDF library is linked; where
/// Chromium is not installed, the error says so and how to get the HTML instead.
public enum PDFPrinter {
    /// The browsers tried, in order, then `chromium` on the PATH.
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"]

    public static func browser() -> URL? {
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return URL(fileURLWithPath: found)
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/chromium"
            if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
        }
        return nil
    }

    /// Prints `html` to `output` (written whole or not at all).
    public static func print(html: String, to output: URL, timeout: TimeInterval = 180) throws(PDFError) {
        guard let browser = browser() else { throw .chromiumMissing }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("spscan-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let page = work.appendingPathComponent("report.html")
        let printed = work.appendingPathComponent("report.pdf")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try Data(html.utf8).write(to: page)
        } catch {
            throw .failed(reason: "cannot write a temporary file: \(error.localizedDescription)")
        }
        let process = Process()
        process.executableURL = browser
        // A profile of its own, so that a Chromium the user has open is neither reused nor disturbed.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-pdf-header-footer",
            "--user-data-dir=\(work.appendingPathComponent("profile").path)", "--print-to-pdf=\(printed.path)", page.absoluteString,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let collected = ErrorText()
        errors.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        do {
            try process.run()
        } catch {
            throw .failed(reason: "cannot start \(browser.path): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            throw .failed(reason: "Chromium did not finish within \(Int(timeout)) s")
        }
        errors.fileHandleForReading.readabilityHandler = nil
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: printed.path),
            data.starts(with: Data("%PDF".utf8))
        else {
            throw .failed(reason: "Chromium exited \(process.terminationStatus): \(collected.tail)")
        }
        do {
            try data.write(to: output, options: .atomic)
        } catch {
            throw .failed(reason: "cannot write \(output.path): \(error.localizedDescription)")
        }
    }

    /// Standard error of the browser, kept short: only its end says why it failed.
    final class ErrorText: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        func append(_ chunk: Data) {
            lock.lock()
            data.append(chunk)
            if data.count > 16_384 { data = data.suffix(8_192) }
            lock.unlock()
        }

        var tail: String {
            lock.lock()
            defer { lock.unlock() }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(3)
            return lines.isEmpty ? "no message" : lines.joined(separator: " / ")
        }
    }
}

public enum PDFError: Error, LocalizedError, Equatable, Sendable {
    case chromiumMissing
    case failed(reason: String)

    public var errorDescription: String? {
        switch self {
        case .chromiumMissing:
            "a PDF needs Chromium, which is not installed here; install it (apt-get install chromium), "
                + "or write HTML (--format html) and print that from a browser"
        case .failed(let reason):
            "the PDF could not be printed: \(reason); write HTML (--format html) and print that from a browser"
        }
    }
}

import Foundation
import SPScanExtract
import SPScanModel
import Testing

@Suite("PDF outcomes decided from what poppler reports")
struct PDFDiagnosisTests {
    @Test("a backspace in the text layer is cleaned, never fatal")
    func backspace() throws {
        let document = try Fixture.extract("backspace.pdf")
        #expect(document.outcome == .text)
        #expect(document.text.contains("Each referral is followed up within two weeks"))
        #expect(document.text.contains("Supervision is monthly."))
        #expect(!document.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test("blank pages are an empty document with the reason, not a scan")
    func blankPages() throws {
        let document = try Fixture.extract("blank.pdf")
        #expect(document.outcome == .empty)
        #expect(document.passages.isEmpty)
        #expect(document.outcomeReason == "its 2 pages are blank: no text and no images")
    }

    @Test("a page repeated whole is read, not taken for a running header or a scan")
    func repeatedPages() throws {
        let document = try Fixture.extract("repeated-pages.pdf")
        #expect(document.outcome == .text)
        #expect(document.text.contains("Volunteer link worker sign-up form"))
    }

    @Test("an image-only page is a scan, by poppler's list of images")
    func scanOutcome() throws {
        let error = try #require(try Fixture.error("image-only.pdf"))
        #expect(error == .imageOnlyPDF(pages: 1))
        #expect(error.outcome == .scanned)
        #expect(try #require(try Fixture.error("encrypted.pdf")).outcome == .unreadable)
    }

    @Test("the layout is read as a stream and stopped at its limit with a clear error")
    func layoutLimit() throws {
        var limits = ExtractionLimits()
        limits.maxLayoutBytes = 2_000
        let error = try #require(try Fixture.error("handbook-two-columns.pdf", limits: limits))
        #expect(error == .layoutTooLarge(limit: 2_000))
        #expect(error.localizedDescription.contains("stopped while being read"))
    }

    @Test("no temporary folder is left behind, and folders of a killed process are swept at the next start")
    func temporaryFolders() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("spscan-sweep-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        // A process id that is not running: the highest the kernel can give, plus one.
        let maxPID =
            (try? String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 4_194_304
        let stale = parent.appendingPathComponent("spscan-pdf-\(maxPID + 1)-left-by-sigkill")
        let live = parent.appendingPathComponent("spscan-pdf-\(getpid())-ours")
        let other = parent.appendingPathComponent("spscan-pdf-1-init")
        for folder in [stale, live, other] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        TemporaryFolderSweep.run(prefix: "spscan-pdf", in: parent)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(FileManager.default.fileExists(atPath: other.path))

        let before = try leftovers()
        _ = try Fixture.extract("handbook-two-columns.pdf")
        _ = try Fixture.error("corrupt.pdf")
        // Other tests of this process read PDFs at the same time, each with a folder of its own for a moment; a
        // leak is a folder that stays, so wait for the others' to go (a leaked one never does).
        var added = try leftovers().subtracting(before)
        let deadline = Date().addingTimeInterval(60)
        while !added.isEmpty, Date() < deadline {
            usleep(100_000)
            added = try leftovers().subtracting(before)
        }
        #expect(added.isEmpty, "left behind: \(added.sorted())")
    }

    private func leftovers() throws -> Set<String> {
        Set(
            try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
                .filter { $0.hasPrefix("spscan-pdf-\(getpid())-") })
    }
}

import Foundation

/// Light snapshots: what a command prints, kept as text files beside the test that reads them, so that a change
/// in a user-visible output shows up in review as a diff of a plain file (STYLE.md #11).
///
/// `Snapshot.mismatch` compares `actual` with `Snapshots/<name>.txt` in the test file's folder. With
/// `RECORD_SNAPSHOTS=1` in the environment it writes the file instead and reports no mismatch; without it a
/// missing file is a mismatch, so a snapshot can never pass by being absent.
public enum Snapshot {
    /// nil when `actual` is the recorded text; otherwise what differs, first line first, for the test's message.
    public static func mismatch(_ actual: String, named name: String, testFile: String = #filePath) -> String? {
        let folder = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Snapshots")
        let file = folder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: file, options: .atomic)
                return nil
            } catch {
                return "cannot record \(file.path): \(error.localizedDescription)"
            }
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return "no snapshot at \(file.path); run the test with RECORD_SNAPSHOTS=1 to record it, then review the file"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return nil }
        return difference(expected: expected, actual: actual, file: file.path)
    }

    /// The first differing line of each, with its number: enough to see what moved without a diff tool.
    static func difference(expected: String, actual: String, file: String) -> String {
        let old = expected.components(separatedBy: "\n")
        let new = actual.components(separatedBy: "\n")
        let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
        let was = line < old.count ? old[line] : "(end of snapshot)"
        let now = line < new.count ? new[line] : "(end of output)"
        return """
            output differs from \(file) at line \(line + 1) (RECORD_SNAPSHOTS=1 re-records it after review):
              recorded: \(was)
              actual:   \(now)
            """
    }
}

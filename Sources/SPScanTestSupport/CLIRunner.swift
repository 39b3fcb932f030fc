import Foundation

/// Runs the built `spscan` binary as a user would, capturing its output and exit code.
public struct CLIResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

public enum CLIRunner {
    /// The `spscan` executable built beside the test bundle.
    public static var executable: URL {
        get throws {
            var candidates: [URL] = []
            if let main = Bundle.main.executableURL?.deletingLastPathComponent() {
                candidates.append(main.appendingPathComponent("spscan"))
            }
            for bundle in Bundle.allBundles {
                candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("spscan"))
            }
            let root = packageRoot
            candidates.append(root.appendingPathComponent(".build/debug/spscan"))
            if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
                return found
            }
            throw CLIRunnerError.binaryNotBuilt(candidates.map(\.path))
        }
    }

    /// The package's root folder, found from this file's location.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `spscan` with arguments in a working directory; standard input is closed unless given.
    public static func run(
        _ arguments: [String], in directory: URL? = nil, stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outPipe = Pipe()
        let errPipe = Pipe()
        let inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes before waiting, so that a chatty process never blocks on a full pipe.
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(errPipe.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return CLIResult(
            exitCode: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData.value, as: UTF8.self)
        )
    }
}

public enum CLIRunnerError: Error, CustomStringConvertible {
    case binaryNotBuilt([String])

    public var description: String {
        switch self {
        case .binaryNotBuilt(let paths):
            "the spscan binary was not found (looked at \(paths.joined(separator: ", "))); run `swift build` first"
        }
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func set(_ value: Data) {
        lock.lock()
        data = value
        done = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

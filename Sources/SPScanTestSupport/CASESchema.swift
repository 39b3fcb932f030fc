import Foundation

/// Validates JSON against the 1EdTech CASE 1.1 CFPackage schema with Python's `jsonschema` (Debian
/// `python3-jsonschema`, installed by `scripts/install-deps test`): an independent validator, so that our
/// exporter is not checked by our own reading of the standard. A missing validator is a failure, not a skip.
public enum CASESchema {
    /// The schema, as vendored in 1EdTech's OpenCASE repository (Apache-2.0), copied into the test fixtures.
    public static var schema: URL {
        CLIRunner.packageRoot.appendingPathComponent("Tests/SPScanModelTests/Fixtures/case/1edtech-case-v1p1-cfpackage-jsonschema.json")
    }

    /// The schema's complaints about the file (empty when it is valid); throws when the validator cannot run.
    public static func problems(in file: URL) throws -> [String] {
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("python3-jsonschema is not installed; run scripts/install-deps test", file=sys.stderr)
                sys.exit(3)
            schema = json.load(open(sys.argv[1], encoding="utf-8"))
            document = json.load(open(sys.argv[2], encoding="utf-8"))
            validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
            for error in validator.iter_errors(document):
                print("/".join(str(p) for p in error.absolute_path) + ": " + error.message)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path, file.path]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        guard process.terminationStatus == 0 else {
            throw CASESchemaError.validatorFailed(String(decoding: errorData.value, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

public enum CASESchemaError: Error, CustomStringConvertible {
    case validatorFailed(String)

    public var description: String {
        switch self {
        case .validatorFailed(let message): "the CASE schema validator could not run: \(message)"
        }
    }
}

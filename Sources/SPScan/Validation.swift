import Foundation
import SPScanMatch
import SPScanModel

/// The result of checking a project's two files.
public struct ValidationReport: Sendable {
    public var registry: Registry?
    public var framework: Framework?
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

public enum ProjectValidator {
    /// Checks Sources.yaml and Framework.yaml and returns every problem in both, not only the first.
    public static func validate(_ paths: ProjectPaths) -> ValidationReport {
        var diagnostics: [Diagnostic] = []
        let registry = load(paths.sources, option: "--sources", into: &diagnostics, RegistryLoader.parse)
        let framework = load(paths.framework, option: "--framework", into: &diagnostics, FrameworkLoader.parse)
        if let framework {
            diagnostics += VocabularyBudget.diagnostics(for: framework, file: ProjectPaths.display(paths.framework))
        }
        return ValidationReport(registry: registry, framework: framework, diagnostics: diagnostics)
    }

    private static func load<T>(
        _ url: URL, option: String, into diagnostics: inout [Diagnostic],
        _ parse: (String, String) -> (T?, [Diagnostic])
    ) -> T? {
        let display = ProjectPaths.display(url)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.append(Diagnostic(at: nil, "cannot read \(display): no such file; create it or point \(option) at it"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(
                Diagnostic(at: SourceLocation(file: display, line: 1, column: 1), "the file is not UTF-8 text; save it as UTF-8"))
            return nil
        }
        let (value, found) = parse(text, display)
        diagnostics += found
        return found.contains { $0.severity == .error } ? nil : value
    }

    /// Loads both files for a command that needs them, throwing every problem at once.
    public static func load(_ paths: ProjectPaths) throws -> (Registry, Framework) {
        let report = validate(paths)
        guard !report.hasErrors, let registry = report.registry, let framework = report.framework else {
            throw ConfigurationError(report.diagnostics)
        }
        return (registry, framework)
    }
}

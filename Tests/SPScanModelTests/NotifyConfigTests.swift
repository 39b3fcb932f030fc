import Foundation
import Testing

@testable import SPScanModel

@Suite("notify: webhooks in Sources.yaml's defaults")
struct NotifyConfigTests {
    static let sources = """
        sources:
          - id: ca-example-course
            url: https://example.ca/course
            title: Example course
            country: CA
            institution: Example College
            institution_type: university
            kind: training
            target_groups: [link-workers]
        """

    func parse(_ defaults: String) -> (Registry?, [Diagnostic]) {
        RegistryLoader.parse("defaults:\n" + defaults + "\n" + Self.sources, file: "Sources.yaml")
    }

    func error(line: Int, column: Int, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: SourceLocation(file: "Sources.yaml", line: line, column: column), message)
    }

    @Test("a plain URL and a mapping with a secret's variable, allow_private and retries")
    func readsBothForms() throws {
        let (registry, diagnostics) = parse(
            """
              timeout: 20s
              notify:
                - https://hooks.example.org/spscan
                - url: http://127.0.0.1:9000/hook
                  secret_env: SPSCAN_WEBHOOK_SECRET
                  allow_private: true
                  retries: 1
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let hooks = try #require(registry?.notify)
        #expect(
            hooks == [
                Webhook(url: try #require(URL(string: "https://hooks.example.org/spscan"))),
                Webhook(
                    url: try #require(URL(string: "http://127.0.0.1:9000/hook")), secretEnv: "SPSCAN_WEBHOOK_SECRET",
                    allowPrivate: true, retries: 1),
            ])
        #expect(registry?.defaults.timeout == 20)
    }

    @Test("no notify: no webhooks")
    func noneByDefault() throws {
        let (registry, _) = parse("  timeout: 20s")
        #expect(registry?.notify == [])
    }

    @Test("bad URLs, a secret written in place of its variable's name and unknown keys are errors with line and column")
    func reportsMistakes() {
        let diagnostics = parse(
            """
              notify:
                - ftp://hooks.example.org/x
                - url: not a url
                - url: https://hooks.example.org/a
                  secret_env: "s3cr3t value!"
                - url: https://hooks.example.org/b
                  secert_env: X
                - url: https://hooks.example.org/c
                  retries: 9
            """
        ).1.filter { $0.severity == .error }
        #expect(
            diagnostics == [
                error(
                    line: 3, column: 7,
                    "defaults notify item 1: URL scheme 'ftp' is not notified; use an http or https URL"),
                error(
                    line: 4, column: 12,
                    "defaults notify item 2: 'not a url' is not a valid URL; write it in full, e.g. https://example.org/page"),
                error(
                    line: 6, column: 19,
                    "defaults notify item 3: `secret_env` names an environment variable (letters, digits and _, not starting "
                        + "with a digit), e.g. SPSCAN_WEBHOOK_SECRET; put the secret itself in that variable, not in Sources.yaml"),
                error(
                    line: 8, column: 7,
                    "defaults notify item 4: unknown key `secert_env`; did you mean `secret_env`? allowed keys are url, "
                        + "secret_env, allow_private, retries"),
                error(line: 10, column: 16, "defaults notify item 5: `retries` is 9; use a whole number from 0 to 5"),
            ], "\(diagnostics)")
    }

    @Test("notify: is read under defaults only, not in a source's crawl settings")
    func onlyInDefaults() {
        let yaml = Self.sources + "\n    crawl:\n      notify: [https://hooks.example.org/x]"
        let messages = RegistryLoader.parse(yaml, file: "Sources.yaml").1.map(\.message)
        #expect(messages.contains { $0.contains("unknown key `notify`") }, "\(messages)")
    }
}

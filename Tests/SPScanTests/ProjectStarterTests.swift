import Foundation
import SPScanTestSupport
import Testing

@testable import SPScan

@Suite("spscan init's files")
struct ProjectStarterTests {
    @Test("the embedded framework is the shipped Framework.yaml (run scripts/embed-framework after editing it)")
    func embeddedFrameworkIsCurrent() throws {
        let shipped = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), encoding: .utf8)
        let embedded = try #require(ProjectStarter.files.first { $0.name == "Framework.yaml" }).text
        #expect(embedded == shipped, "Framework.yaml changed: run scripts/embed-framework and commit Sources/SPScan/ShippedFramework.swift")
    }
}

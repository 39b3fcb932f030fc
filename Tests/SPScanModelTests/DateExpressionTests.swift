import Foundation
import SPScanModel
import Testing

@Suite("dates as people type them")
struct DateExpressionTests {
    /// 2026-12-03T15:30:00Z, a Thursday.
    let now = Date(timeIntervalSince1970: 1_796_311_800)

    func iso(_ text: String) -> Date? { ISOTimestamp.parse(text) }

    @Test("ISO dates and times, bare dates at midnight UTC")
    func isoForms() {
        #expect(DateExpression.parse("2026-11-01", now: now) == iso("2026-11-01T00:00:00Z"))
        #expect(DateExpression.parse(" 2026-11-01T09:00:00Z ", now: now) == iso("2026-11-01T09:00:00Z"))
        #expect(DateExpression.parse("2026-11-01t09:00:00z", now: now) == iso("2026-11-01T09:00:00Z"))
    }

    @Test("words: now, today and yesterday from midnight UTC")
    func words() {
        #expect(DateExpression.parse("now", now: now) == now)
        #expect(DateExpression.parse("Today", now: now) == iso("2026-12-03T00:00:00Z"))
        #expect(DateExpression.parse("yesterday", now: now) == iso("2026-12-02T00:00:00Z"))
    }

    @Test("ages back from now, in fixed units and in calendar months and years")
    func ages() {
        #expect(DateExpression.parse("7d", now: now) == iso("2026-11-26T15:30:00Z"))
        #expect(DateExpression.parse("3 days ago", now: now) == iso("2026-11-30T15:30:00Z"))
        #expect(DateExpression.parse("12h", now: now) == iso("2026-12-03T03:30:00Z"))
        #expect(DateExpression.parse("30m", now: now) == iso("2026-12-03T15:00:00Z"))
        #expect(DateExpression.parse("2w", now: now) == iso("2026-11-19T15:30:00Z"))
        #expect(DateExpression.parse("1 month ago", now: now) == iso("2026-11-03T15:30:00Z"))
        #expect(DateExpression.parse("1y", now: now) == iso("2025-12-03T15:30:00Z"))
        #expect(DateExpression.cutoff(olderThan: "90d", now: now) == now.addingTimeInterval(-90 * 86_400))
    }

    @Test("anything else is not a date")
    func rejects() {
        for text in ["last tuesday", "", "7", "d", "-7d", "7 fortnights", "2026-13-45", "soon"] {
            #expect(DateExpression.parse(text, now: now) == nil, "\(text)")
        }
        #expect(DateExpression.cutoff(olderThan: "2026-11-01", now: now) == nil)
    }
}

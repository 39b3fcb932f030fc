import Foundation

/// A point in time as a person types it wherever spscan takes a date (`changes --since`, `trend --since`,
/// `matrix --at`, `diff --from`, the web page's forms): an ISO date or time, a word, or an age.
///
/// - `2026-11-01` (midnight UTC), `2026-11-01T09:00:00Z`, `2026-11-01T09:00:00.5+01:00`
/// - `now`, `today`, `yesterday` (today and yesterday start at midnight UTC, as a bare date does)
/// - an age back from now: `7d`, `12h`, `2w`, `3 days`, `3 days ago`, `1 month ago`, `1y`; months and years
///   are calendar months and years, the other units fixed lengths (`m` is minutes, as in Sources.yaml)
///
/// One parser in the library, so that the command line and the web page read the same words the same way.
public enum DateExpression {
    /// The forms, for messages: "write it as …".
    public static let examples = "2026-11-01, 2026-11-01T09:00:00Z, today, yesterday, 7d or 2w"

    /// The time `text` names, counted back from `now` when it is relative; nil when it is not a date.
    public static func parse(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch trimmed {
        case "now": return now
        case "today": return startOfDay(now)
        case "yesterday": return startOfDay(now).addingTimeInterval(-86_400)
        default: break
        }
        if let age = Age(trimmed) { return age.before(now) }
        return ISOTimestamp.parse(text.trimmingCharacters(in: .whitespaces).uppercased())
    }

    /// A length of time back from now, as `corpus prune --older-than` takes it: `90d`, `2w`, `6 months`.
    /// Calendar months and years are counted from `now`; nil when `text` is not an age.
    public static func cutoff(olderThan text: String, now: Date = Date()) -> Date? {
        Age(text.trimmingCharacters(in: .whitespaces).lowercased()).map { $0.before(now) }
    }

    static func startOfDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// An amount of one unit: fixed seconds, or calendar months.
    struct Age {
        var amount: Int
        var seconds: Double?
        var months: Int?

        private static let units: [(names: [String], seconds: Double?, months: Int?)] = [
            (["s", "sec", "secs", "second", "seconds"], 1, nil),
            (["m", "min", "mins", "minute", "minutes"], 60, nil),
            (["h", "hr", "hrs", "hour", "hours"], 3600, nil),
            (["d", "day", "days"], 86_400, nil),
            (["w", "wk", "wks", "week", "weeks"], 604_800, nil),
            (["mo", "month", "months"], nil, 1),
            (["y", "yr", "yrs", "year", "years"], nil, 12),
        ]

        init?(_ text: String) {
            var rest = Substring(text)
            if rest.hasSuffix(" ago") { rest = rest.dropLast(4) }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let amount = Int(digits) else { return nil }
            let unit = rest.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
            guard let match = Self.units.first(where: { $0.names.contains(unit) }) else { return nil }
            self.amount = amount
            seconds = match.seconds
            months = match.months
        }

        func before(_ now: Date) -> Date {
            if let months {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
                return calendar.date(byAdding: .month, value: -amount * months, to: now) ?? now
            }
            return now.addingTimeInterval(-Double(amount) * (seconds ?? 0))
        }
    }
}

import Foundation
import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// One execution of a prepared statement, its values bound straight through SQLite's C API.
///
/// GRDB's `StatementArguments` box every value in an existential before binding it; on the index stage's hottest
/// inserts (tags, evidence, passages and their search entries: a dozen rows per document, eleven values each) that
/// boxing cost more than SQLite's own work. The statement stays GRDB's: prepared and cached by it, run inside its
/// transaction, so that its observers and error handling see an ordinary write.
struct DirectInsert: ~Copyable {
    private let handle: OpaquePointer
    private let db: Database
    private var position: Int32 = 0

    /// SQLite copies each bound text before `bind` returns, so the Swift string need not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement, in db: Database) {
        handle = statement.sqliteStatement
        self.db = db
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    mutating func bind(_ value: String) {
        position += 1
        var text = value
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                // A non-null pointer for an empty string: a null one would bind NULL, not "".
                _ = sqlite3_bind_text(handle, position, "", 0, Self.transient)
                return
            }
            let characters = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            _ = sqlite3_bind_text(handle, position, characters, Int32(bytes.count), Self.transient)
        }
    }

    mutating func bind(_ value: String?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    mutating func bind(_ value: Int) {
        position += 1
        _ = sqlite3_bind_int64(handle, position, Int64(value))
    }

    mutating func bind(_ value: Int64) {
        position += 1
        _ = sqlite3_bind_int64(handle, position, value)
    }

    mutating func bind(_ value: Int?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    mutating func bind(_ value: Double) {
        position += 1
        _ = sqlite3_bind_double(handle, position, value)
    }

    mutating func bind(_ value: Double?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    mutating func bind(_ value: Bool) {
        bind(value ? 1 : 0)
    }

    /// A date as GRDB stores it (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), so that GRDB reads it back as it reads its own.
    mutating func bind(_ value: Date?) {
        guard let value else { return bindNull() }
        bind(StorageDate.text(value))
    }

    mutating func bindNull() {
        position += 1
        _ = sqlite3_bind_null(handle, position)
    }

    /// Runs the statement to its end; a constraint or I/O failure throws GRDB's own error, with SQLite's message.
    consuming func run() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            let sql = String(cString: sqlite3_sql(handle))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(handle)
    }
}

/// GRDB's text for a date, written by hand for whole seconds: GRDB formats through a `DateFormatter`, which was an
/// eighth of the index stage's own time (two dates a document). Other dates go through GRDB, which stays the
/// reference for the format.
enum StorageDate {
    static func text(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard interval.rounded(.down) == interval, abs(interval) < 1e11 else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        var seconds = time_t(interval)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func digits(_ value: Int32, _ count: Int) {
            var divisor: Int32 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(parts.tm_year + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        bytes.append(UInt8(ascii: " "))
        digits(parts.tm_hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        bytes.append(contentsOf: ".000".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}

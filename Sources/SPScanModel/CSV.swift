import Foundation

/// Comma-separated values as RFC 4180 defines them: fields in double quotes may hold commas, line breaks and
/// doubled quotes; records end with CRLF (LF and CR alone are accepted on reading); a UTF-8 byte order mark,
/// as Excel writes, is skipped.
public enum CSV {
    /// Why a CSV file could not be read.
    public struct ParseError: Error, Equatable, LocalizedError, Sendable {
        public var line: Int
        public var problem: String

        public var errorDescription: String? { "line \(line): \(problem)" }
    }

    /// The records of the text, each a list of fields, with the line each record starts on.
    public static func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !afterQuote else {
                    throw ParseError(
                        line: line, problem: "a quote inside an unquoted field; put the whole field in quotes and double the quote")
                }
                quoted = true
            default:
                if afterQuote {
                    throw ParseError(
                        line: line, problem: "text after a closing quote; a quoted field must end at a comma or the end of the line")
                }
                field.append(byte)
            }
            index += 1
        }
        if quoted { throw ParseError(line: recordLine, problem: "a quoted field is never closed; add the closing quote") }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        return records
    }

    /// The records as CSV text: CRLF line ends, fields quoted when they hold a comma, quote or line break.
    public static func write(_ records: [[String]]) -> String {
        records.map { record in
            record.map { field in
                guard field.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return field }
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}

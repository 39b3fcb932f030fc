import CLibXML2
import Foundation

/// Reads XML from a file descriptor node by node through libxml2's reader, so that memory does not grow
/// with the document: `pdftotext -bbox-layout` writes hundreds of megabytes for a long PDF.
///
/// The bytes are counted as they arrive and the read stops with `ExtractError.layoutTooLarge` past
/// `limit`. Control characters other than tab and line ends (a backspace in a PDF's text), which XML 1.0
/// forbids and which would make libxml2 give up on the whole document, are read as spaces.
final class XMLStream {
    enum Event {
        case start(String)
        case end(String)
        case text(String)
    }

    /// The read callback's state, reached from C through an unmanaged pointer.
    private final class Source {
        let fileDescriptor: Int32
        let limit: Int
        var count = 0
        var exceeded = false

        init(fileDescriptor: Int32, limit: Int) {
            self.fileDescriptor = fileDescriptor
            self.limit = limit
        }
    }

    private let reader: xmlTextReaderPtr
    private let source: Source
    private let retained: Unmanaged<Source>
    private let part: String
    private var pendingEnd: String?

    /// Starts reading `fileDescriptor` (not closed here); `part` names the stream in errors.
    init(fileDescriptor: Int32, limit: Int, part: String) throws(ExtractError) {
        _ = LibXML.initialise
        source = Source(fileDescriptor: fileDescriptor, limit: limit)
        retained = Unmanaged.passRetained(source)
        self.part = part
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue
        let read: xmlInputReadCallback = { context, buffer, length in
            guard let context, let buffer, length > 0 else { return -1 }
            let source = Unmanaged<Source>.fromOpaque(context).takeUnretainedValue()
            var count: Int
            repeat {
                count = Foundation.read(source.fileDescriptor, buffer, Int(length))
            } while count < 0 && errno == EINTR
            guard count >= 0 else { return -1 }
            source.count += count
            if source.count > source.limit {
                source.exceeded = true
                return -1
            }
            buffer.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                for index in 0..<count where bytes[index] < 0x20 && bytes[index] != 0x09 && bytes[index] != 0x0A && bytes[index] != 0x0D {
                    bytes[index] = 0x20
                }
            }
            return Int32(count)
        }
        guard let reader = xmlReaderForIO(read, nil, retained.toOpaque(), part, "UTF-8", Int32(options)) else {
            retained.release()
            throw .malformedMarkup(part: part, line: 0, message: "the XML reader cannot start")
        }
        self.reader = reader
    }

    deinit {
        xmlFreeTextReader(reader)
        retained.release()
    }

    /// The next element start, element end or text; nil at the end of the document.
    func next() throws(ExtractError) -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name)
        }
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { return nil }
            if status < 0 {
                if source.exceeded { throw .layoutTooLarge(limit: source.limit) }
                let error = xmlGetLastError()
                let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unreadable XML"
                throw .malformedMarkup(
                    part: part, line: error.map { Int($0.pointee.line) } ?? 0,
                    message: message.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                if xmlTextReaderIsEmptyElement(reader) == 1 { pendingEnd = name }
                return .start(name)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return .end(xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "")
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                return .text(xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? "")
            default:
                continue
            }
        }
    }

    /// An attribute of the element just started.
    func attribute(_ name: String) -> String? {
        guard let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }

    /// Bytes read so far.
    var bytesRead: Int { source.count }
}

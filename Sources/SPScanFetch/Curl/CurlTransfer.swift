// The only files that import CCurl. Everything libcurl-specific (options, callbacks, error codes) stays in
// this folder; the fetcher above sees `TransferRequest` in and `TransferResult` out.
import CCurl
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What one HTTP request needs: the URL, extra headers and the limits that apply to it.
struct TransferRequest: Sendable {
    var url: String
    var headers: [String] = []
    var userAgent: String
    var connectTimeout: Double
    var timeout: Double
    var lowSpeedLimit: Int
    var lowSpeedTime: Double
    var maxBodyBytes: Int
    var maxDecodedBytes: Int
    var allowPrivate: Bool
    /// A body to POST (a webhook's summary); nil for a GET.
    var postBody: Data? = nil
}

/// Why a transfer ended without a usable response.
enum TransferFailure: Sendable, Equatable {
    case privateAddress(String)
    case bodyTooLarge
    case decodedTooLarge
    case timeout
    case tooSlow
    case tooManyRedirects
    /// The response's headers were larger than libcurl accepts (100 KiB for one, 300 KiB in all).
    case headersTooLarge
    case tls(String)
    case connection(String)
}

/// What came back: the status and headers of the final response, the decoded body, or why it failed.
struct TransferResult: Sendable {
    var status: Int?
    /// Header names lower-cased; a repeated header keeps its last value.
    var headers: [String: String] = [:]
    var body = Data()
    var effectiveURL: String
    var failure: TransferFailure?
}

/// One libcurl easy handle configured with safe defaults, and the state its callbacks fill in.
///
/// Every limit is set explicitly: libcurl 7.88 follows unlimited redirects by default, and its
/// `CURLOPT_MAXFILESIZE` is neither enforced mid-transfer nor aware of decompression, so the progress callback
/// counts raw bytes and the write callback counts decoded bytes, and either aborts the transfer.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    let request: TransferRequest
    private let state: TransferState
    private var headerList: UnsafeMutablePointer<curl_slist>?

    init(_ request: TransferRequest) throws {
        try CurlGlobal.initialise()
        guard let handle = curl_easy_init() else {
            throw FetchError.curl(call: "curl_easy_init", code: -1, detail: "no handle")
        }
        self.handle = handle
        self.request = request
        state = TransferState(request: request)
        try configure()
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
    }

    private func configure() throws {
        let context = Unmanaged.passUnretained(state).toOpaque()
        try check("CURLOPT_URL", ccurl_easy_setopt_string(handle, CURLOPT_URL, request.url))
        try check("CURLOPT_PROTOCOLS_STR", ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check(
            "CURLOPT_REDIR_PROTOCOLS_STR", ccurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        try check("CURLOPT_USERAGENT", ccurl_easy_setopt_string(handle, CURLOPT_USERAGENT, request.userAgent))
        try check("CURLOPT_NOSIGNAL", ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        // An empty string asks for every encoding this libcurl decodes (gzip, deflate, br, zstd).
        try check("CURLOPT_ACCEPT_ENCODING", ccurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        try check(
            "CURLOPT_HTTP_VERSION", ccurl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)))
        try check("CURLOPT_SSL_VERIFYPEER", ccurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        try check("CURLOPT_SSL_VERIFYHOST", ccurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        // Redirects come back as 3xx for the fetcher to check and follow itself, so that every hop (of a document
        // or of robots.txt) passes the address policy, which through a proxy the socket check cannot apply.
        try check("CURLOPT_FOLLOWLOCATION", ccurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        try check(
            "CURLOPT_CONNECTTIMEOUT_MS",
            ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)))
        try check("CURLOPT_TIMEOUT_MS", ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
        try check("CURLOPT_LOW_SPEED_LIMIT", ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, request.lowSpeedLimit))
        try check(
            "CURLOPT_LOW_SPEED_TIME",
            ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(request.lowSpeedTime.rounded(.up)))))
        try check(
            "CURLOPT_MAXFILESIZE_LARGE",
            ccurl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes)))
        try check("CURLOPT_ERRORBUFFER", ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, state.errorBuffer))
        try check("CURLOPT_WRITEDATA", ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        try check(
            "CURLOPT_WRITEFUNCTION", ccurl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        try check("CURLOPT_HEADERDATA", ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        try check(
            "CURLOPT_HEADERFUNCTION", ccurl_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        try check("CURLOPT_NOPROGRESS", ccurl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
        try check("CURLOPT_XFERINFODATA", ccurl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context))
        try check("CURLOPT_XFERINFOFUNCTION", ccurl_easy_setopt_xferinfo_callback(handle, curlProgress))
        try check("CURLOPT_OPENSOCKETDATA", ccurl_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context))
        try check("CURLOPT_OPENSOCKETFUNCTION", ccurl_easy_setopt_opensocket_callback(handle, curlOpenSocket))
        var headers = request.headers
        if let body = request.postBody {
            try check("CURLOPT_POST", ccurl_easy_setopt_long(handle, CURLOPT_POST, 1))
            try check("CURLOPT_POSTFIELDSIZE_LARGE", ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS copies the bytes, so the body need not outlive this call.
            try body.withUnsafeBytes { raw in
                try check(
                    "CURLOPT_COPYPOSTFIELDS",
                    ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress)))
            }
            // libcurl otherwise sends `Expect: 100-continue` for bodies over 1 KiB and waits up to a second for an
            // answer that many small receivers never send.
            headers.append("Expect:")
        }
        for header in headers {
            headerList = curl_slist_append(headerList, header)
        }
        if let headerList {
            try check("CURLOPT_HTTPHEADER", ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        }
    }

    /// Runs the transfer on the calling thread, for a single request outside the fetch loop (a webhook).
    func perform() -> TransferResult {
        result(code: curl_easy_perform(handle))
    }

    /// Reads the outcome once libcurl reports the transfer done with `code`.
    func result(code: CURLcode) -> TransferResult {
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        _ = ccurl_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        var result = TransferResult(
            status: status > 0 ? status : nil, headers: state.headers, body: state.body,
            effectiveURL: effective.map { String(cString: $0) } ?? request.url
        )
        if code != CURLE_OK { result.failure = failure(code) }
        return result
    }

    private func failure(_ code: CURLcode) -> TransferFailure {
        if let reason = state.abortReason { return reason }
        let detail = state.errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : state.errorText
        // libcurl 7.88 ends a header block that is too large with "Out of memory" (one header over 100 KiB) or
        // a receive error (over 300 KiB in all); a status line without the end of its headers tells them apart
        // from a real shortage of memory or a dropped connection.
        if state.inHeaders, code == CURLE_OUT_OF_MEMORY || code == CURLE_RECV_ERROR,
            code == CURLE_OUT_OF_MEMORY || state.headerBytes > 64 * 1024 || detail.contains("Too large")
        {
            return .headersTooLarge
        }
        switch code {
        case CURLE_FILESIZE_EXCEEDED, CURLE_ABORTED_BY_CALLBACK: return .bodyTooLarge
        case CURLE_OPERATION_TIMEDOUT:
            return detail.lowercased().contains("too slow") ? .tooSlow : .timeout
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            return .tls(detail)
        default: return .connection(detail)
        }
    }

    private func check(_ call: String, _ code: CURLcode) throws {
        guard code == CURLE_OK else {
            throw FetchError.curl(
                call: "curl_easy_setopt(\(call))", code: Int(code.rawValue), detail: String(cString: curl_easy_strerror(code)))
        }
    }

    private static func milliseconds(_ seconds: Double) -> Int { max(1, Int((seconds * 1000).rounded())) }
}

/// libcurl's global initialisation, done once before the first handle (it is not thread-safe to repeat).
enum CurlGlobal {
    private static let code: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    static func initialise() throws {
        guard code == CURLE_OK else {
            throw FetchError.curl(call: "curl_global_init", code: Int(code.rawValue), detail: String(cString: curl_easy_strerror(code)))
        }
    }
}

/// What the C callbacks write into: one per transfer, alive as long as its `CurlTransfer`.
final class TransferState {
    /// The response headers the fetcher reads; others are not kept.
    static let wantedHeaders: Set<String> = ["etag", "last-modified", "content-type", "location", "retry-after"]
    let maxBodyBytes: Int
    let maxDecodedBytes: Int
    let allowPrivate: Bool
    var body = Data()
    var headers: [String: String] = [:]
    var abortReason: TransferFailure?
    /// Between a status line and the blank line that ends its headers.
    var inHeaders = false
    /// Bytes of the current response's header block so far.
    var headerBytes = 0
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(request: TransferRequest) {
        maxBodyBytes = request.maxBodyBytes
        maxDecodedBytes = request.maxDecodedBytes
        allowPrivate = request.allowPrivate
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorBuffer.deallocate() }

    var errorText: String { String(cString: errorBuffer) }
}

/// Appends decoded body bytes, stopping the transfer (by returning a short count) past the decoded limit.
private let curlWriteBody: ccurl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if state.body.count + length > state.maxDecodedBytes {
        state.abortReason = .decodedTooLarge
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { state.body.append($0, count: length) }
    return length
}

/// Collects the final response's headers; a new status line (after 1xx, or a redirect libcurl follows) starts over.
///
/// Works on bytes and keeps only the headers the fetcher reads: this runs for every header of every response.
private let curlWriteHeader: ccurl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: length) { pointer in
        let line = UnsafeBufferPointer(start: pointer, count: length)
        if line.starts(with: "HTTP/".utf8) {
            state.headers = [:]
            state.inHeaders = true
            state.headerBytes = length
            return
        }
        state.headerBytes += length
        if length <= 2, line.allSatisfy({ $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) {
            state.inHeaders = false
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        guard TransferState.wantedHeaders.contains(name) else { return }
        var start = colon + 1
        var end = length
        while start < end, line[start] == UInt8(ascii: " ") || line[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(line[end - 1]) {
            end -= 1
        }
        state.headers[name] = String(decoding: line[start..<end], as: UTF8.self)
    }
    return length
}

/// Counts raw (still compressed) body bytes and aborts past the body limit while the transfer streams.
private let curlProgress: ccurl_xferinfo_callback = { context, _, downloaded, _, _ in
    guard let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    if downloaded > curl_off_t(state.maxBodyBytes) {
        state.abortReason = .bodyTooLarge
        return 1
    }
    return 0
}

/// Opens each socket only after checking the resolved address, so a public name that resolves to a private
/// address, on the first request or any redirect, is refused before a byte is sent.
private let curlOpenSocket: ccurl_opensocket_callback = { context, _, address in
    guard let context, let address else { return CURL_SOCKET_BAD }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let family = address.pointee.family
    let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) ?? 16
    let raw = UnsafeRawPointer(address) + offset
    var bytes: [UInt8] = []
    if family == AF_INET {
        bytes = (4..<8).map { raw.load(fromByteOffset: $0, as: UInt8.self) }
    } else if family == AF_INET6 {
        bytes = (8..<24).map { raw.load(fromByteOffset: $0, as: UInt8.self) }
    }
    if !state.allowPrivate, AddressPolicy.isPrivate(bytes) {
        state.abortReason = .privateAddress(AddressPolicy.format(bytes))
        return CURL_SOCKET_BAD
    }
    return socket(family, address.pointee.socktype, address.pointee.protocol)
}

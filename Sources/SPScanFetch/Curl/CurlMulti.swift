import CCurl
import Foundation

/// A libcurl multi handle: many transfers driven from one thread, sharing connections (HTTP/2 multiplexing
/// and keep-alive across requests to one host).
final class CurlMulti {
    private let handle: UnsafeMutableRawPointer
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init() throws {
        try CurlGlobal.initialise()
        guard let handle = curl_multi_init() else {
            throw FetchError.curl(call: "curl_multi_init", code: -1, detail: "no handle")
        }
        self.handle = handle
        _ = ccurl_multi_setopt_long(handle, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
    }

    deinit {
        for (easy, _) in running { curl_multi_remove_handle(handle, easy) }
        curl_multi_cleanup(handle)
    }

    var count: Int { running.count }

    func add(_ transfer: CurlTransfer) throws {
        try check("curl_multi_add_handle", curl_multi_add_handle(handle, transfer.handle))
        running[transfer.handle] = transfer
    }

    /// Drives the transfers, waiting at most `timeout` seconds for activity, and returns those that finished.
    func step(timeout: Double) throws -> [(CurlTransfer, TransferResult)] {
        var stillRunning: Int32 = 0
        try check("curl_multi_perform", curl_multi_perform(handle, &stillRunning))
        var finished = collect()
        if finished.isEmpty, !running.isEmpty {
            var ready: Int32 = 0
            let milliseconds = Int32(max(1, min(1000, timeout * 1000)))
            try check("curl_multi_poll", curl_multi_poll(handle, nil, 0, milliseconds, &ready))
            try check("curl_multi_perform", curl_multi_perform(handle, &stillRunning))
            finished = collect()
        }
        return finished
    }

    /// Turns a failed multi call into the module's error, naming the call.
    private func check(_ call: String, _ code: CURLMcode) throws {
        guard code == CURLM_OK else {
            throw FetchError.curl(call: call, code: Int(code.rawValue), detail: String(cString: curl_multi_strerror(code)))
        }
    }

    private func collect() -> [(CurlTransfer, TransferResult)] {
        var finished: [(CurlTransfer, TransferResult)] = []
        var queued: Int32 = 0
        while let message = curl_multi_info_read(handle, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = ccurl_message_result(message)
            curl_multi_remove_handle(handle, easy)
            if let transfer = running.removeValue(forKey: easy) {
                finished.append((transfer, transfer.result(code: code)))
            }
        }
        return finished
    }
}

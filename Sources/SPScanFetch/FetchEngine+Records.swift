import Foundation
import Logging
import SPScanModel

// The records the fetch loop appends for each outcome, and the source results they add up to.
extension FetchEngine {
    func baseRecord(_ job: Job, status: Int?, headers: [String: String], finalURL: String?) -> SnapshotRecord {
        SnapshotRecord(
            sourceID: sources[job.source].source.id, url: job.requested, finalURL: finalURL, fetchedAt: Date(),
            outcome: .failed, httpStatus: status, etag: headers["etag"], lastModified: headers["last-modified"],
            contentType: headers["content-type"], depth: job.depth
        )
    }

    func failureRecord(_ job: Job, outcome: FetchOutcome, error: FetchError, status: Int? = nil) -> SnapshotRecord {
        var record = baseRecord(job, status: status, headers: [:], finalURL: job.current.absoluteString)
        record.outcome = outcome
        record.error = error.errorDescription
        return record
    }

    func transferFailureRecord(_ job: Job, _ failure: TransferFailure) -> SnapshotRecord {
        let settings = sources[job.source].source.settings
        let url = job.current.absoluteString
        let (outcome, error): (FetchOutcome, FetchError) =
            switch failure {
            case .privateAddress(let address): (.refused, .privateAddress(url: url, address: address))
            case .bodyTooLarge: (.failed, .bodyTooLarge(url: url, limit: settings.maxBodyBytes))
            case .decodedTooLarge: (.failed, .decodedTooLarge(url: url, limit: settings.maxDecodedBytes))
            case .timeout: (.failed, .timeout(url: url, seconds: settings.timeout))
            case .tooSlow:
                (.failed, .tooSlow(url: url, bytesPerSecond: settings.lowSpeedLimit, seconds: settings.lowSpeedTime))
            case .tooManyRedirects: (.failed, .tooManyRedirects(url: url, limit: settings.maxRedirects))
            case .headersTooLarge: (.failed, .headersTooLarge(url: url))
            case .tls(let detail): (.failed, .tls(url: url, detail: detail))
            case .connection(let detail): (.failed, .connection(url: url, detail: detail))
            }
        if case .connection = failure, job.depth == 0 { sources[job.source].result.unreachable = true }
        return failureRecord(job, outcome: outcome, error: error)
    }

    /// Logs a record, folds it into its source's result, and closes the source when nothing is pending.
    func finish(_ job: Job, record: SnapshotRecord, body: Data? = nil) {
        let state = sources[job.source]
        committer.submit(PendingSnapshot(data: body, record: record))
        state.result.records.append(record)
        if job.depth == 0 {
            state.result.outcome = record.outcome
            state.result.httpStatus = record.httpStatus
            state.result.error = record.error
            state.result.snapshot = record.sha256
            if record.sha256 == nil {
                let current = try? store.current(sourceID: state.source.id).first { $0.depth == 0 }
                state.result.snapshot = current?.sha256
                if let current, record.outcome == .failed || record.outcome == .gone, let error = record.error {
                    let date = ISO8601DateFormatter().string(from: current.fetchedAt)
                    state.result.error = error + " (the snapshot of \(date) stays current)"
                }
            }
        } else if state.result.outcome == .unchanged, record.outcome == .new || record.outcome == .changed {
            state.result.outcome = .changed
        }
        state.pending -= 1
        if state.pending == 0 {
            finishedSources += 1
            let result = state.result
            let detail = [result.httpStatus.map { "HTTP \($0)" }, result.records.count > 1 ? "\(result.records.count) documents" : nil]
                .compactMap { $0 }.joined(separator: ", ")
            // "fetch 41/69": a person watching the status line sees how far the stage is.
            let line =
                "fetch \(finishedSources)/\(sources.count) \(result.sourceID): \(result.outcome.rawValue)"
                + (detail.isEmpty ? "" : " (\(detail))")
            if result.outcome == .failed {
                logger.error("\(line): \(result.error ?? "")")
            } else {
                logger.info("\(line)")
            }
        }
    }
}

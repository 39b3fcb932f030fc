import Foundation

/// Stores finished documents on a thread of its own, in batches, while the fetch loop goes on.
///
/// Durability costs a wait for the disk (a few flushes of the file system per batch, or an fsync per file);
/// doing it on the fetch loop would leave the network idle meanwhile. Whatever finished while the previous
/// batch was being written makes the next batch, so batches grow with the load and share their flushes. A killed scan loses at most the batch in hand, and
/// never leaves a partial file: the next scan fetches those documents again.
final class Committer: @unchecked Sendable {
    private let store: SnapshotStore
    private let condition = NSCondition()
    private var pending: [PendingSnapshot] = []
    private var closed = false
    private var finished = false
    /// The first storage error per source id, reported in that source's result.
    private var failures: [String: String] = [:]
    /// How long a batch waits for company after its first document. A batch costs a few flushes of the file
    /// system whatever its size, and a re-scan answered by 304s finishes documents faster than one flush: left
    /// alone it would commit them a few at a time and flush thousands of times.
    static let gathering: TimeInterval = 0.01
    /// A batch this large goes at once, without waiting out `gathering`.
    static let fullBatch = 1000

    init(store: SnapshotStore) {
        self.store = store
        let thread = Thread { [self] in loop() }
        thread.name = "spscan-commit"
        thread.start()
    }

    func submit(_ item: PendingSnapshot) {
        condition.lock()
        pending.append(item)
        // The loop waits for the first document, then for a full batch or the end of `gathering`.
        if pending.count == 1 || pending.count == Self.fullBatch { condition.signal() }
        condition.unlock()
    }

    /// Waits until everything submitted is on disk; returns the storage errors by source id.
    func close() -> [String: String] {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        return failures
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty, !closed { condition.wait() }
            let deadline = Date(timeIntervalSinceNow: Self.gathering)
            while !closed, pending.count < Self.fullBatch, condition.wait(until: deadline) {}
            if pending.isEmpty, closed {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = pending
            pending = []
            condition.unlock()
            do {
                try store.commit(batch)
            } catch {
                let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                condition.lock()
                for item in batch where failures[item.record.sourceID] == nil { failures[item.record.sourceID] = message }
                condition.unlock()
            }
        }
    }
}

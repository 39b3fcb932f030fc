import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// How long a connection may take to send a request and how many may be open: what keeps a slow client
/// (one that sends its request a byte at a time, or opens thousands of half-sent requests) from starving others.
public struct ConnectionLimits: Sendable, Hashable {
    /// Seconds to send a complete request head once the connection is open.
    public var headerTimeout: Double
    /// Seconds a kept-alive connection may wait for its next request after an answer (it makes room for a new
    /// connection sooner when the server is full).
    public var idleTimeout: Double
    /// Seconds to send a request's body once its head has arrived.
    public var bodyTimeout: Double
    /// Connections open at once. Past it, a connection without a complete request is closed to make room: one
    /// of the client address holding the most connections, the one that has waited longest. A connection whose
    /// request is being answered is never closed for another.
    public var maxConnections: Int

    public init(headerTimeout: Double = 10, idleTimeout: Double = 60, bodyTimeout: Double = 30, maxConnections: Int = 512) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = maxConnections
    }
}

/// The server's open connections, shared by every connection's `ConnectionGuard`.
///
/// Under a flood of half-sent requests the table stays full of connections that have sent no complete request;
/// a new connection then takes the place of the flood's oldest (the address with the most connections pays
/// first), so a real client gets in at once instead of waiting for the flood's timeouts, and the open file
/// descriptors stay bounded.
final class ConnectionTable: Sendable {
    private struct Entry {
        var channel: any Channel
        var address: String
        /// When it started waiting for a request: opened, or its last answer ended.
        var since: NIODeadline
        /// A complete request is being answered: never closed to make room.
        var answering: Bool
    }

    private let entries = NIOLockedValueBox<[ObjectIdentifier: Entry]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var count: Int { entries.withLockedValue { $0.count } }

    /// Records a new connection; returns the connection to close to make room: the one waiting longest for a
    /// request, or `channel` itself when every open connection is being answered.
    func open(_ channel: any Channel) -> (any Channel)? {
        entries.withLockedValue { entries in
            var victim: (any Channel)?
            let address = channel.remoteAddress?.ipAddress ?? ""
            if entries.count >= limit {
                var held: [String: Int] = [:]
                for entry in entries.values { held[entry.address, default: 0] += 1 }
                let waiting = entries.filter { !$0.value.answering }
                guard
                    let chosen = waiting.min(by: { a, b in
                        let (heldA, heldB) = (held[a.value.address] ?? 0, held[b.value.address] ?? 0)
                        return heldA != heldB ? heldA > heldB : a.value.since < b.value.since
                    })
                else { return channel }
                entries.removeValue(forKey: chosen.key)
                victim = chosen.value.channel
            }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, address: address, since: .now(), answering: false)
            return victim
        }
    }

    func closed(_ channel: any Channel) {
        _ = entries.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func setAnswering(_ channel: any Channel, _ answering: Bool) {
        entries.withLockedValue { entries in
            let key = ObjectIdentifier(channel)
            guard entries[key]?.answering != answering else { return }
            entries[key]?.answering = answering
            if !answering { entries[key]?.since = .now() }
        }
    }
}

/// One connection's deadlines and its place in the `ConnectionTable`, in the channel pipeline after HTTP
/// decoding (Hummingbird's `additionalChannelHandlers`).
///
/// A request head must arrive within `headerTimeout` of the connection opening (`idleTimeout` of the previous
/// answer ending), and its body within `bodyTimeout` of the head; otherwise the connection is closed. While a request
/// is being answered no deadline runs: a slow page is the server's doing, not the client's.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let table: ConnectionTable
    private let limits: ConnectionLimits
    private var deadline: Scheduled<Void>?
    /// Between a request's head and its end.
    private var reading = false
    /// Requests read in full whose answers have not ended.
    private var answering = 0
    /// Answers that ended before their request did (a refusal sent while the body still arrives).
    private var answeredEarly = 0

    init(table: ConnectionTable, limits: ConnectionLimits) {
        self.table = table
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let table = self.table
        channel.closeFuture.whenComplete { _ in table.closed(channel) }
        if let victim = table.open(channel) { victim.close(promise: nil) }
        wait(context, seconds: limits.headerTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            reading = true
            wait(context, seconds: limits.bodyTimeout)
        case .body:
            break
        case .end:
            reading = false
            if answeredEarly > 0 { answeredEarly -= 1 } else { answering += 1 }
            settle(context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            if answering > 0 { answering -= 1 } else { answeredEarly += 1 }
            settle(context)
        }
        context.write(data, promise: promise)
    }

    /// After a request or an answer ended: no deadline while answering, the idle deadline once idle.
    private func settle(_ context: ChannelHandlerContext) {
        guard !reading else { return }
        if answering > 0 {
            deadline?.cancel()
            deadline = nil
            table.setAnswering(context.channel, true)
        } else {
            table.setAnswering(context.channel, false)
            wait(context, seconds: limits.idleTimeout)
        }
    }

    private func wait(_ context: ChannelHandlerContext, seconds: Double) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: .milliseconds(Int64(max(0.001, seconds) * 1000))) {
            channel.close(promise: nil)
        }
    }
}

import Desk
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// One open live socket: a hello, the missed events, then live ones until something ends it.
///
/// Frames, server to client (text, JSON):
/// - `{"type":"hello","current_seq":N,"replay":K,"ping_interval_s":30}` first;
/// - `{"seq":N,"type":"…","data":{…}}` for each event the principal may see, in seq order
///   (seqs the principal may not see are skipped, so gaps are normal);
/// - `{"type":"reload","current_seq":N}` then close 4000 when `since` cannot be resumed.
/// Closes: 4001 session ended, 4002 role changed, 4003 account disabled, 4008 too slow,
/// 4029 too many sockets for this session or token,
/// 1008 too many client messages (`LiveClose`); the library closes 1009 for an oversized
/// message and 1002 for a protocol error.
///
/// Five tasks race: the pump (events to the socket); a watcher of the subscription's ending (so
/// a revocation or overflow closes the socket even while the pump is blocked writing to a client
/// that stopped reading); the reader (client messages, pongs, the client's close); the credential
/// check; and the server's graceful shutdown. The first to finish decides how the socket closes;
/// if the close frame cannot be flushed within `closeGrace`, the connection is cut.
struct LiveConnection {
    let desk: Desk
    let principal: Principal
    let since: UInt64?
    let configuration: LiveConfiguration
    let channel: any Channel
    let heapTrimmer: HeapTrimmer
    let logger: Logger

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let subscription: LiveSubscription
        switch desk.subscribe(principal, since: since) {
        case .reload(let current):
            try? await outbound.write(.text(#"{"type":"reload","current_seq":\#(current)}"#))
            await close(outbound, .reload)
            return
        case .limitReached(let limit):
            logger.notice("live socket refused: too many for one credential", metadata: ["atende.live.limit": "\(limit)"])
            await close(outbound, .tooManyConnections)
            return
        case .subscribed(let subscribed):
            subscription = subscribed
        }
        LiveMetrics.openSockets.increment()
        defer {
            subscription.cancel()
            LiveMetrics.openSockets.decrement()
            heapTrimmer.socketClosed()
        }
        let hello = #"{"type":"hello","current_seq":\#(subscription.currentSeq),"replay":\#(subscription.replayCount),"ping_interval_s":\#(configuration.pingInterval.components.seconds)}"#
        do { try await outbound.write(.text(hello)) } catch { return }
        logger.debug("live socket open", metadata: ["atende.live.replay": "\(subscription.replayCount)"])

        let failure = await withTaskGroup(of: Outcome.self) { group -> (any Error)? in
            group.addTask { await pump(subscription, to: outbound) }
            group.addTask { await subscription.ended().map { .close(LiveClose($0)) } ?? .gone }
            group.addTask { await read(inbound) }
            group.addTask { await watchCredential() }
            // On SIGTERM the server waits for every connection: close this one, bounded by
            // closeGrace, even if its client never answers.
            group.addTask { (try? await gracefulShutdown()).map { .close(.goingAway) } ?? .gone }
            defer { group.cancelAll() }
            switch await group.next() ?? .gone {
            case .close(let reason):
                logger.info("live socket closed by the server", metadata: ["atende.live.reason": "\(reason.reason)"])
                await close(outbound, reason)
                return nil
            case .gone:
                LiveMetrics.closed("client_gone")
                return nil            // the client went away; there is nobody to tell
            case .failed(let error):
                LiveMetrics.closed("client_error")
                return error
            }
        }
        // The library closes with the code such an error carries (1009 too large, 1002 protocol).
        if let failure { throw failure }
    }

    /// How one of the racing tasks ended.
    private enum Outcome: Sendable {
        case close(LiveClose)
        case gone
        case failed(any Error)
    }

    /// Sends the close frame and counts the close; cuts the connection if the frame has not gone
    /// within `closeGrace` (a client that stopped reading cannot take even the close frame).
    private func close(_ outbound: WebSocketOutboundWriter, _ reason: LiveClose) async {
        LiveMetrics.closed(reason.reason)
        let channel = channel
        let cut = channel.eventLoop.scheduleTask(in: .init(configuration.closeGrace)) { channel.close(promise: nil) }
        try? await outbound.close(reason.errorCode, reason: reason.reason)
        cut.cancel()
    }

    /// Writes each event's frame until the subscription ends (its reason) or a write fails.
    private func pump(_ subscription: LiveSubscription, to outbound: WebSocketOutboundWriter) async -> Outcome {
        while let delivery = await subscription.next() {
            switch delivery {
            case .event(let event):
                do { try await outbound.write(.text(event.frame)) } catch { return .gone }
                LiveMetrics.eventsSent.increment()
            case .end(let ending):
                return .close(LiveClose(ending))
            }
        }
        return .gone
    }

    /// Reads what the client sends (pongs are answered inside the stream). Ends when the client
    /// closes, when it breaks the message-rate limit, or with the stream's error (an oversized
    /// message, a protocol error, a reset).
    private func read(_ inbound: WebSocketInboundStream) async -> Outcome {
        let clock = ContinuousClock()
        var windowStart = clock.now
        var count = 0
        do {
            for try await _ in inbound.messages(maxSize: configuration.maxClientMessageBytes) {
                let now = clock.now
                if now - windowStart > configuration.clientMessageWindow { (windowStart, count) = (now, 0) }
                count += 1
                if count > configuration.maxClientMessages { return .close(.tooManyMessages) }
            }
        } catch {
            return .failed(error)
        }
        return .gone
    }

    /// Ends with `.sessionEnded` once the credential no longer stands (expiry, idle timeout).
    private func watchCredential() async -> Outcome {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.revalidateInterval) } catch { return .gone }
            do {
                if try !desk.isStillValid(principal) { return .close(.sessionEnded) }
            } catch {
                logger.warning("live socket: could not check the credential", metadata: ["atende.error": "\(error)"])
            }
        }
        return .gone
    }
}

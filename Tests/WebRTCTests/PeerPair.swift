import DataChannels
import Foundation
import Testing
@testable import WebRTC

/// Two peer connections on real loopback UDP, signaled in-process with trickle
/// (the candidates of each go to the other as they are gathered).
struct PeerPair {
    let offerer: RTCPeerConnection
    let answerer: RTCPeerConnection

    static func make(offererConfiguration: PeerConnectionConfiguration = PeerConnectionConfiguration(),
                     answererConfiguration: PeerConnectionConfiguration = PeerConnectionConfiguration(),
                     host: PeerConnectionHost = .shared) async throws -> PeerPair {
        PeerPair(offerer: try await RTCPeerConnection(configuration: offererConfiguration, host: host),
                 answerer: try await RTCPeerConnection(configuration: answererConfiguration, host: host))
    }

    /// Offer/answer plus trickle both ways; returns once both are connected (or the time is up).
    func connect(timeout: Duration = .seconds(10)) async throws {
        let offer = try await offerer.createOffer()
        try await offerer.setLocalDescription(offer)
        try await answerer.setRemoteDescription(offer)
        let answer = try await answerer.createAnswer()
        try await answerer.setLocalDescription(answer)
        try await offerer.setRemoteDescription(answer)
        let offerer = self.offerer, answerer = self.answerer
        Task { for await candidate in offerer.localCandidates { try? await answerer.addIceCandidate(candidate) } }
        Task { for await candidate in answerer.localCandidates { try? await offerer.addIceCandidate(candidate) } }
        let states = try await Self.within(timeout) {
            async let a = offerer.waitUntilConnected()
            async let b = answerer.waitUntilConnected()
            return await (a, b)
        }
        #expect(states.0 == .connected, "offerer: \(String(describing: offerer.failure))")
        #expect(states.1 == .connected, "answerer: \(String(describing: answerer.failure))")
    }

    func close() async {
        await offerer.close()
        await answerer.close()
    }

    /// The first channel the peer opens.
    static func firstIncoming(_ pc: RTCPeerConnection, timeout: Duration = .seconds(10)) async throws -> RTCDataChannel {
        try await within(timeout) {
            for await channel in pc.incomingChannels { return channel }
            throw TimeoutError(what: "the connection closed before a channel arrived")
        }
    }

    /// The next message on a channel.
    static func next(_ channel: RTCDataChannel, timeout: Duration = .seconds(10)) async throws -> DataChannelMessage {
        try await within(timeout) {
            for await message in channel.messages { return message }
            throw TimeoutError(what: "the channel closed before a message arrived")
        }
    }

    struct TimeoutError: Error, CustomStringConvertible {
        var what: String
        var description: String { what }
    }

    /// `body`, or a `TimeoutError` after `limit` (the body keeps running unobserved).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let box = Box<T>()
        return try await withCheckedThrowingContinuation { continuation in
            Task {
                do {
                    let value = try await body()
                    if box.claim() { continuation.resume(returning: value) }
                } catch {
                    if box.claim() { continuation.resume(throwing: error) }
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                if box.claim() { continuation.resume(throwing: TimeoutError(what: "timed out after \(limit)")) }
            }
        }
    }

    final class Box<T>: @unchecked Sendable {
        // @unchecked: `taken` is only touched under `lock`.
        private let lock = NSLock()
        private var taken = false
        func claim() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            defer { taken = true }
            return !taken
        }
    }
}

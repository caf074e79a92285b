import DataTransport
import SCTP
import Wire

/// The message trains: what the client sends on which stream, and what the
/// server's deliveries and the client's send failures say about each mode.
final class Trains {
    /// One stream of one mode.
    struct Lane {
        let modeIndex: Int
        let index: Int
        let streamID: UInt16
        let total: Int
        var next: UInt32 = 0
        var isDone: Bool { Int(next) >= total }
    }

    let settings: RunSettings
    private(set) var statistics: [ModeStatistics]
    private var lanes: [Lane] = []
    private var laneByStream: [UInt16: Int] = [:]
    /// The lane the next round of sending starts at (round-robin over modes and streams).
    private var cursor = 0
    /// Paced sending: the next slot of the schedule (see `sendDue`).
    private var scheduled = 0
    /// When something was last sent, delivered or abandoned (to tell a finished train from a stuck one).
    private(set) var lastProgress: Instant?
    /// True once the sender's SCTP reported having nothing outstanding (every message
    /// acknowledged or abandoned) after the last message was handed to it.
    private(set) var senderDryAfterLastSend = false
    /// Messages the client has not handed to SCTP yet.
    var remainingToSend: Int { lanes.reduce(0) { $0 + max(0, $1.total - Int($1.next)) } }

    init(settings: RunSettings) {
        self.settings = settings
        statistics = settings.modes.map { ModeStatistics(mode: $0, streams: settings.streamsPerMode) }
        for (modeIndex, _) in settings.modes.enumerated() {
            for index in 0..<settings.streamsPerMode {
                let id = settings.streamID(modeIndex: modeIndex, index: index)
                laneByStream[id] = lanes.count
                lanes.append(Lane(modeIndex: modeIndex, index: index, streamID: id, total: settings.messages(onStream: index)))
            }
        }
    }

    /// The send parameters of a mode.
    func options(for mode: DeliveryMode) -> SCTPSendOptions {
        let reliability: SCTPReliability
        if mode.isReliable {
            reliability = .reliable
        } else {
            switch settings.partialReliability {
            case let .maxRetransmits(count): reliability = .maxRetransmits(UInt32(count))
            case let .lifetime(milliseconds): reliability = .maxLifetime(milliseconds: UInt32(milliseconds))
            }
        }
        return SCTPSendOptions(unordered: !mode.isOrdered, reliability: reliability)
    }

    /// WebRTC's PPID for a binary message (RFC 8831 §8).
    static let binaryPPID: UInt32 = 53

    /// Paced sending: every message whose time has come. Lane `l`'s message `k` is
    /// due at `start + (k * lanes + l) * interval / lanes`, so the lanes take turns at
    /// even spacing: no mode always rides first in a burst (the first packet of a
    /// burst is recovered fastest, by the SACKs the rest of the burst triggers).
    func sendDue(on transport: any MessageSink, start: Instant, interval: Duration, at now: Instant) throws {
        let spacing = interval / lanes.count
        let rounds = lanes.map(\.total).max() ?? 0
        while scheduled < rounds * lanes.count, start + spacing * scheduled <= now {
            let index = scheduled % lanes.count
            if Int(lanes[index].next) == scheduled / lanes.count, !lanes[index].isDone {
                guard try send(lane: index, on: transport, at: now) else { return }
            }
            scheduled += 1
        }
    }

    /// Flat-out sending: keeps SCTP's queue at `highWater` bytes, round-robin over lanes.
    func fill(_ transport: any MessageSink, upTo highWater: Int, at now: Instant) throws {
        while transport.queuedBytes < highWater, remainingToSend > 0 {
            let index = cursor % lanes.count
            cursor += 1
            guard !lanes[index].isDone else { continue }
            guard try send(lane: index, on: transport, at: now) else { return }
        }
    }

    /// Sends the next message of one lane; false when SCTP's queue is full (try later).
    private func send(lane index: Int, on transport: any MessageSink, at now: Instant) throws -> Bool {
        let lane = lanes[index]
        let mode = settings.modes[lane.modeIndex]
        let stamp = MessageStamp(modeIndex: lane.modeIndex, streamIndex: lane.index, sequence: lane.next, sentAt: now)
        do {
            try transport.send(stamp.message(size: settings.size), stream: lane.streamID, ppid: Self.binaryPPID,
                               options: options(for: mode))
        } catch {
            if error.sctpError?.code == .bufferFull { return false }
            if let refusal = error.sctpError, refusal.code == .messageTooLarge {
                throw StreamsFailure(.messageTooLarge, "sending on stream \(lane.streamID) (\(mode.rawValue)): \(refusal)")
            }
            throw StreamsFailure(.associationFailure, "sending on stream \(lane.streamID) (\(mode.rawValue)): \(error.reason)")
        }
        lanes[index].next += 1
        statistics[lane.modeIndex].noteSent(at: now)
        lastProgress = now
        senderDryAfterLastSend = false
        return true
    }

    /// A message the server received.
    func delivered(_ message: SCTPMessage, at now: Instant) {
        lastProgress = now
        guard let stamp = MessageStamp(parsing: message.bytes), stamp.modeIndex < statistics.count,
              let laneIndex = laneByStream[message.stream], lanes[laneIndex].modeIndex == stamp.modeIndex,
              lanes[laneIndex].index == stamp.streamIndex else {
            // Not one of ours, or on the wrong stream: charge it to the stream's mode.
            if let laneIndex = laneByStream[message.stream] { statistics[lanes[laneIndex].modeIndex].noteForeign() }
            return
        }
        statistics[stamp.modeIndex].noteDelivered(stamp, size: message.bytes.count,
                                                  intact: message.bytes.count == settings.size && MessageStamp.fillerIsIntact(message.bytes),
                                                  at: now)
    }

    /// A message the client's SCTP gave up on (PR-SCTP abandonment).
    func abandoned(_ failure: SCTPSendFailure, at now: Instant) {
        lastProgress = now
        guard let laneIndex = laneByStream[failure.stream] else { return }
        statistics[lanes[laneIndex].modeIndex].abandoned += 1
    }

    /// The sender's SCTP has nothing outstanding. `queued` is its `bufferedAmount`: a
    /// report while messages still wait in the Swift-side queue says nothing about them.
    func senderDry(queued: Int) {
        if remainingToSend == 0, queued == 0 { senderDryAfterLastSend = true }
    }

    /// Every message sent and each one's fate known, so `lost` (sent - delivered) is
    /// final: everything delivered, or else every message of a reliable mode delivered,
    /// every undelivered unreliable one reported abandoned, and the sender's SCTP
    /// holding nothing more (a message can be both delivered and abandoned when only
    /// its SACK was lost, so the counts alone could hide one still in flight).
    var isSettled: Bool {
        guard remainingToSend == 0 else { return false }
        if statistics.allSatisfy({ $0.delivered >= $0.sent }) { return true }
        return senderDryAfterLastSend && statistics.allSatisfy {
            $0.mode.isReliable ? $0.delivered >= $0.sent : $0.delivered + $0.abandoned >= $0.sent
        }
    }

    /// The run stopped waiting before `isSettled`: what is neither delivered nor
    /// abandoned is reported as in flight rather than lost.
    func markUnaccountedInFlight() {
        for index in statistics.indices {
            statistics[index].inFlight = max(0, statistics[index].sent - statistics[index].delivered - statistics[index].abandoned)
        }
    }

    /// Every reliable message delivered (unreliable ones may still be in flight).
    var reliableComplete: Bool {
        remainingToSend == 0 && statistics.allSatisfy { !$0.mode.isReliable || $0.delivered >= $0.sent }
    }

    /// Messages delivered so far, all modes.
    var deliveredCount: Int { statistics.reduce(0) { $0 + $1.delivered } }
    /// Messages sent so far, all modes.
    var sentCount: Int { statistics.reduce(0) { $0 + $1.sent } }
}

/// Where the trains go: the client's SCTPTransport (a test can stand in for it).
protocol MessageSink: AnyObject {
    /// Hands one message to SCTP (SCTPTransport.send).
    func send(_ bytes: [UInt8], stream: UInt16, ppid: UInt32, options: SCTPSendOptions) throws(DataTransportError)
    /// Bytes accepted and not yet transmitted once (SCTPAssociation.bufferedAmount).
    var queuedBytes: Int { get }
}

extension SCTPTransport: MessageSink {
    var queuedBytes: Int { association.bufferedAmount }
}

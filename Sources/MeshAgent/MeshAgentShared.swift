import MeshProtocol
import Wire
import WebRTC

/// The part of an agent's state that callers read without waiting for its
/// signaling loop: who we are, which channels are open (so `send` goes straight
/// to the channel, off the loop), the timeline, and the event stream's sink.
/// The loop writes it after every change; everyone else only reads.
final class MeshAgentShared: Sendable {
    private struct State {
        var peerID: String?
        var open: [String: RTCDataChannel] = [:]
        var known: Set<String> = []
        var live: [String: RTCPeerConnection] = [:]
        var timeline = MeshTimeline()
        var droppedEvents = 0
        var stopped = false
    }

    private let state = Locked(State())
    private let sink: AsyncStream<MeshAgentEvent>.Continuation
    /// The stream handed to the application.
    let events: AsyncStream<MeshAgentEvent>

    init(eventBufferLimit: Int) {
        (events, sink) = AsyncStream.makeStream(of: MeshAgentEvent.self,
                                                bufferingPolicy: .bufferingOldest(max(1, eventBufferLimit)))
    }

    // MARK: Events

    /// Hands an event to the application; counted when the buffer is full.
    func emit(_ event: MeshAgentEvent) {
        if case .dropped = sink.yield(event) {
            state.withLock { $0.droppedEvents += 1 }
        }
    }

    /// Ends the event stream (stop).
    func finishEvents() { sink.finish() }

    var droppedEvents: Int { state.withLock { $0.droppedEvents } }

    // MARK: Identity and peers

    var peerID: String? {
        get { state.withLock { $0.peerID } }
        set { state.withLock { $0.peerID = newValue } }
    }

    var stopped: Bool {
        get { state.withLock { $0.stopped } }
        set { state.withLock { $0.stopped = newValue } }
    }

    /// Marks the agent stopped; true for the first caller only.
    func withStopFlag() -> Bool {
        state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
    }

    func openChannel(to peer: String) -> RTCDataChannel? { state.withLock { $0.open[peer] } }

    func isKnown(_ peer: String) -> Bool { state.withLock { $0.known.contains(peer) } }

    var openChannels: [(String, RTCDataChannel)] {
        state.withLock { $0.open.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    var connectedPeers: [String] { state.withLock { $0.open.keys.sorted() } }

    func setOpen(_ peer: String, _ channel: RTCDataChannel?) { state.withLock { $0.open[peer] = channel } }

    func setKnown(_ peers: Set<String>) { state.withLock { $0.known = peers } }

    func setLive(_ peer: String, _ connection: RTCPeerConnection?) { state.withLock { $0.live[peer] = connection } }

    // MARK: Timeline

    func updateTimeline(_ body: (inout MeshTimeline) -> Void) { state.withLock { body(&$0.timeline) } }

    func updatePair(_ peer: String, _ body: (inout MeshTimeline.PairSteps) -> Void) {
        state.withLock { state in
            guard var pair = state.timeline.pairs[peer] else { return }
            body(&pair)
            state.timeline.pairs[peer] = pair
        }
    }

    /// The timeline, with the layer milestones of connections still coming up
    /// read from them now.
    var timeline: MeshTimeline {
        let (timeline, live) = state.withLock { ($0.timeline, $0.live) }
        var merged = timeline
        for (peer, connection) in live {
            guard var pair = merged.pairs[peer] else { continue }
            pair.absorb(connection.milestones)
            merged.pairs[peer] = pair
        }
        return merged
    }
}

extension MeshTimeline.PairSteps {
    /// Takes the layer instants the PeerConnection recorded (first one wins).
    mutating func absorb(_ milestones: ConnectionMilestones) {
        iceChecking = iceChecking ?? milestones.iceChecking
        iceConnected = iceConnected ?? milestones.iceConnected
        dtlsConnected = dtlsConnected ?? milestones.dtlsConnected
        sctpEstablished = sctpEstablished ?? milestones.sctpEstablished
    }

    /// Notes one candidate sent or received before the channel opened.
    mutating func noteCandidate(at instant: ContinuousClock.Instant) {
        guard channelOpen == nil else { return }
        if firstCandidate == nil { firstCandidate = instant }
        lastCandidate = instant
    }
}

import DataChannels
import Wire
import ExerciseInterfaces
import Solutions
@testable import datachannel_chat

/// The reference solution of exercise 11, with every event and action counted (all
/// machines together): proof that the channels on the wire ran through the exercise
/// code, not around it.
struct CountedChannel: DCEPChannelExercise {
    static let tally = Locked<[String: Int]>([:])

    private var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }

    init() {}

    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        let actions = try base.handle(event)
        Self.tally.withLock { tally in
            tally[Self.key(event), default: 0] += 1
            for action in actions { tally[Self.key(action), default: 0] += 1 }
        }
        return actions
    }

    static func reset() { tally.withLock { $0 = [:] } }
    static func count(_ key: String) -> Int { tally.withLock { $0[key] ?? 0 } }
    static var summary: String {
        let counts = tally.withLock { $0 }
        return counts.keys.sorted().map { key in "\(key)=\(counts[key] ?? 0)" }.joined(separator: " ")
    }

    /// "openRequested", "appSend"...
    static func key(_ event: DCEPChannelEvent) -> String {
        String(event.description.dropFirst().prefix { $0 != "(" })
    }

    /// "sendOpen", "sendData(ordered: false)", "stateChanged(.open)"...
    static func key(_ action: DCEPChannelAction) -> String {
        switch action {
        case let .sendData(_, ordered): "sendData(ordered: \(ordered))"
        case let .stateChanged(state): "stateChanged(.\(state.rawValue))"
        case let .error(error): "error(.\(error.rawValue))"
        default: String(action.description.dropFirst().prefix { $0 != "(" })
        }
    }
}

/// Right in every way but one: it never delivers what arrives (the echo server then echoes nothing).
struct NeverDelivers: DCEPChannelExercise {
    private var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }

    init() {}

    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        try base.handle(event).filter { if case .deliver = $0 { false } else { true } }
    }
}

/// Opens and sends like the library, but sends early data unordered (before the ACK).
struct UnorderedBeforeAck: DCEPChannelExercise {
    private var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }

    init() {}

    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        try base.handle(event).map { action in
            if case let .sendData(message, _) = action, state == .awaitingAck { return .sendData(message, ordered: false) }
            return action
        }
    }
}

import DataChannels
import ExerciseInterfaces
import Exercises
import Foundation

/// --use-exercise: the student's exercise 11 (`Exercises.DCEPChannel`) runs the DCEP
/// state machine of every channel the client or the server opens or accepts. The
/// library's registry asks it at each DCEP decision (DataChannels/DCEPChannelDriver.swift)
/// and does what it answers: send the OPEN and the ACK, send a message ordered or not,
/// deliver or drop a message, count the channel as acknowledged, reset our stream.
///
/// The implementation is a parameter (any `DCEPChannelExercise`, the student's by
/// default) so tests can prove the success path with the reference solution. Before
/// any packet, `check` plays the life of one channel on each side; a machine that is
/// not written yet or answers wrongly stops the run with exit status 4 there, rather
/// than as a channel that never opens or never closes, far from its cause.
enum DCEPChannelExerciseHook {
    static let file = "exercises/11-dcep-channel/DCEPChannel.swift"

    /// Checks `implementation`, then wraps it as the peer connections' channel drivers.
    /// - Throws: `ChatFailure(.exerciseFailure)` naming the step, with the expected and actual actions.
    static func drivers(using implementation: any DCEPChannelExercise.Type = DCEPChannel.self,
                        note: @escaping @Sendable (String) -> Void = DCEPExercise.printNote) throws -> DCEPChannelDrivers {
        try check(implementation)
        return wrap(implementation, note: note)
    }

    /// A step of the check: an event and the actions it must cause.
    typealias Step = (event: DCEPChannelEvent, actions: [DCEPChannelAction])

    /// The two lives checked before the run: an unordered channel we open, send on early,
    /// get acknowledged and close; and a channel the peer opens, sends on and closes.
    static var lives: [(name: String, steps: [Step])] {
        let open = DCEPExercise.fields(of: DCEPExercise.parameters(of: EchoClient.specs[1]).openMessage)
        let hello = DCEPUserMessage(ppid: 51, payload: Array("hello".utf8))
        return [
            ("a channel we open", [
                (.openRequested(open), [.sendOpen(open), .stateChanged(.awaitingAck)]),
                (.appSend(hello), [.sendData(hello, ordered: true)]),
                (.receivedAck, [.stateChanged(.open)]),
                (.appSend(hello), [.sendData(hello, ordered: false)]),
                (.closeRequested, [.resetOutgoingStream, .stateChanged(.closing)]),
                (.outgoingResetDone, []),
                (.incomingStreamReset, [.stateChanged(.closed)]),
            ]),
            ("a channel the peer opens", [
                (.receivedOpen(open), [.sendAck, .stateChanged(.open)]),
                (.receivedData(hello), [.deliver(hello)]),
                (.incomingStreamReset, [.resetOutgoingStream, .stateChanged(.closing)]),
                (.outgoingResetDone, [.stateChanged(.closed)]),
            ]),
        ]
    }

    /// Plays `lives` on fresh machines of `implementation`.
    /// - Throws: `ChatFailure(.exerciseFailure)` at the first step that answers wrongly or throws.
    static func check(_ implementation: any DCEPChannelExercise.Type) throws {
        for life in lives {
            var machine = implementation.init()
            var played: [String] = []
            for step in life.steps {
                let call = "handle(\(step.event))"
                let before = played.isEmpty ? "on a new channel" : "after " + played.joined(separator: ", ")
                let actions: [DCEPChannelAction]
                do {
                    actions = try machine.handle(step.event)
                } catch ExerciseError.notImplemented {
                    throw ChatFailure(.exerciseFailure, "--use-exercise: handle in \(file) is not implemented yet "
                                      + "(it throws notImplemented); write it, then check it with `lab check 11`")
                } catch {
                    throw ChatFailure(.exerciseFailure, "--use-exercise: your \(call) in \(file) threw \(error) "
                                      + "(\(life.name), \(before))\n  check it with `lab check 11`")
                }
                guard actions == step.actions else {
                    throw ChatFailure(.exerciseFailure, "--use-exercise: your \(call) in \(file) is not what the "
                                      + "library does (\(life.name), \(before))\n  expected: \(render(step.actions))\n"
                                      + "  actual:   \(render(actions))\n  check it with `lab check 11`")
                }
                played.append(step.event.description)
            }
        }
    }

    /// `implementation` as the registry's drivers, unchecked: what it answers is what is
    /// done, and every `.error` it answers or throw it makes is told to `note`.
    static func wrap(_ implementation: any DCEPChannelExercise.Type, note: @escaping @Sendable (String) -> Void) -> DCEPChannelDrivers {
        let type = ExerciseType(type: implementation)
        return DCEPChannelDrivers { stream in
            ExerciseDriver(machine: Machine(value: type.type.init()), stream: stream, note: note)
        }
    }

    static func render(_ actions: [DCEPChannelAction]) -> String {
        "[" + actions.map(\.description).joined(separator: ", ") + "]"
    }

    /// The exercise type, to be called from the host thread. `@unchecked Sendable`: a
    /// metatype holds no state.
    private struct ExerciseType: @unchecked Sendable {
        let type: any DCEPChannelExercise.Type
    }

    /// One channel's machine. `@unchecked Sendable`: the student's type need not say it
    /// is Sendable, but each machine lives in one registry, which only the peer
    /// connection's host thread touches.
    private struct Machine: @unchecked Sendable {
        var value: any DCEPChannelExercise
    }

    /// The student's machine behind the registry's driver protocol.
    private struct ExerciseDriver: DCEPChannelDriver {
        var machine: Machine
        let stream: UInt16
        let note: @Sendable (String) -> Void

        mutating func handle(_ event: DCEPDriverEvent) -> [DCEPDriverAction] {
            let event = DCEPChannelExerciseHook.event(event)
            let actions: [DCEPChannelAction]
            do {
                actions = try machine.value.handle(event)
            } catch {
                note("--use-exercise: your DCEPChannel on stream \(stream) threw \(error) for handle(\(event)); nothing is done")
                return []
            }
            for case let .error(reason) in actions {
                note("--use-exercise: your DCEPChannel on stream \(stream) answered handle(\(event)) with .error(.\(reason.rawValue))")
            }
            return actions.map(DCEPChannelExerciseHook.action)
        }
    }

    /// The registry's event in the exercise's terms.
    static func event(_ event: DCEPDriverEvent) -> DCEPChannelEvent {
        switch event {
        case let .openRequested(open): .openRequested(DCEPExercise.fields(of: open))
        case let .receivedOpen(open): .receivedOpen(DCEPExercise.fields(of: open))
        case .receivedAck: .receivedAck
        case let .receivedData(ppid, bytes): .receivedData(DCEPUserMessage(ppid: ppid.rawValue, payload: bytes))
        case let .appSend(ppid, bytes): .appSend(DCEPUserMessage(ppid: ppid.rawValue, payload: bytes))
        case .closeRequested: .closeRequested
        case .incomingStreamReset: .incomingStreamReset
        case .outgoingResetDone: .outgoingResetDone
        }
    }

    /// The exercise's action in the registry's terms.
    static func action(_ action: DCEPChannelAction) -> DCEPDriverAction {
        switch action {
        case let .sendOpen(fields): .sendOpen(DCEPExercise.open(of: fields))
        case .sendAck: .sendAck
        case let .sendData(message, ordered):
            .sendData(PayloadProtocolIdentifier(rawValue: message.ppid), message.payload, ordered: ordered)
        case let .deliver(message): .deliver(PayloadProtocolIdentifier(rawValue: message.ppid), message.payload)
        case .resetOutgoingStream: .resetOutgoingStream
        case let .stateChanged(state): .stateChanged(Self.state(state))
        case let .error(reason): .error(reason.rawValue)
        }
    }

    static func state(_ state: DCEPChannelState) -> DCEPDriverState {
        switch state {
        case .idle: .idle
        case .awaitingAck: .awaitingAck
        case .open: .open
        case .closing: .closing
        case .closed: .closed
        }
    }
}

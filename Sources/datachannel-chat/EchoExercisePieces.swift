import DataChannels
import DataTransport
import ExerciseHooks
import ExerciseInterfaces
import Exercises
import Foundation
import ICE
import WebRTC

/// --use-exercise: which of the student's pieces the echo runs, and which are left out.
///
/// A piece that is still the starter (its first call throws `notImplemented`) is left out
/// and the library's runs in its place, so a student who wrote exercise 07 can see it on
/// real traffic before writing 11 (as stun-probe and ice-check do). With no piece written
/// the run stops before any packet (exit 4), naming exercise 07's encodeOpen. A piece that
/// is written but wrong stops the run as before (`DCEPExercise.codec`,
/// `DCEPChannelExerciseHook.drivers`); a checklist (exercise 10) that disagrees with RFC 8445
/// fails the client's "checklist" step after the run, and exercises 09 and 12 are judged the
/// same way ("transactions" and "stream receive" steps). Which piece ran
/// goes to stderr and into the client's JSON line (`"exercises"`), where `lab check` reads it.
struct EchoExercisePieces {
    /// Exercise 07's OPEN codec, when written.
    var codec: DCEPOpenCodec?
    /// Exercise 11's channel state machines, when written.
    var drivers: DCEPChannelDrivers?
    /// Exercise 10's checklist, when written: it decides the client's ordinary ICE checks.
    var checklist: (any IceChecklistExercise.Type)?
    /// Exercise 09's transaction, when written: it times every STUN transaction of the client's ICE agent.
    var transaction: (any StunTransactionExercise.Type)?
    /// Exercise 12's receiver, when written: the client's channels get what it delivers.
    var streamReceive: (any StreamReceiveExercise.Type)?
    /// What exercise 09's transactions did in the run.
    let transactionLog = TransactionExerciseLog()
    /// What exercise 12's receiver did in the run.
    let streamReceiveLog = StreamReceiveExerciseLog()
    /// Exercise id → "yours", or why the library's ran instead.
    var report: [String: String] = [:]

    static let openID = "07-dcep-open"
    static let channelID = "11-dcep-channel"
    static let checklistID = "10-ice-checklist"
    static let transactionID = "09-stun-transaction"
    static let streamReceiveID = "12-stream-receive"

    /// Probes, checks and wraps the pieces (the student's by default).
    /// - Throws: `ChatFailure(.exerciseFailure)` when no piece is written, or a written one is wrong.
    static func resolve(open: any DCEPOpenExercise.Type = DCEPOpen.self,
                        channel: any DCEPChannelExercise.Type = DCEPChannel.self,
                        checklist: any IceChecklistExercise.Type = IceChecklist.self,
                        transaction: any StunTransactionExercise.Type = Exercises.StunTransaction.self,
                        streamReceive: any StreamReceiveExercise.Type = Exercises.StreamReceive.self) throws -> EchoExercisePieces {
        var pieces = EchoExercisePieces()
        /// Records who runs piece `id`; true when it is the student's.
        func record(_ id: String, written: Bool) -> Bool {
            pieces.report[id] = written ? "yours" : "the library's: not implemented yet (it throws notImplemented)"
            return written
        }
        if record(openID, written: written(open)) { pieces.codec = try DCEPExercise.codec(using: open) }
        if record(channelID, written: written(channel)) { pieces.drivers = try DCEPChannelExerciseHook.drivers(using: channel) }
        if record(checklistID, written: IceChecklistProbe.isWritten(checklist)) { pieces.checklist = checklist }
        if record(transactionID, written: StunTransactionProbe.isWritten(transaction)) { pieces.transaction = transaction }
        if record(streamReceiveID, written: StreamReceiveProbe.isWritten(streamReceive)) { pieces.streamReceive = streamReceive }
        if pieces.codec == nil && pieces.drivers == nil && pieces.checklist == nil && pieces.transaction == nil
            && pieces.streamReceive == nil {
            // None is written: exercise 07 comes first in the lessons, so its message
            // (the one this tool always gave for the starter) says what to write first.
            _ = try DCEPExercise.codec(using: open)
        }
        return pieces
    }

    /// A fresh strategy running exercise 10 for one PeerConnection's ICE agent, if written.
    var checklistStrategy: (any ICEChecklistStrategy)? { checklist.map(IceChecklistProbe.strategy) }

    /// The factory running exercise 09 for the client's ICE transactions, if written.
    var checkTransactions: (any ICECheckTransactionFactory)? {
        transaction.map { StunTransactionProbe.factory($0, log: transactionLog) }
    }

    /// The gates running exercise 12 beside usrsctp, if written.
    var receiveGates: (any SCTPReceiveGateFactory)? {
        streamReceive.map { StreamReceiveProbe.gates($0, log: streamReceiveLog) }
    }

    /// One line for stderr: which pieces run.
    var summary: String {
        "--use-exercise: " + report.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }

    /// False when `open`'s encoder still throws notImplemented on a plain OPEN.
    private static func written(_ open: any DCEPOpenExercise.Type) -> Bool {
        let fields = DCEPOpenFields(channelType: 0, priority: 0, reliabilityParameter: 0, label: "probe", protocol: "")
        do {
            _ = try open.encodeOpen(fields)
        } catch ExerciseError.notImplemented {
            return false
        } catch {
            // A refusal is the checks' business (DCEPExercise.check).
        }
        return true
    }

    /// False when a fresh machine of `channel` still throws notImplemented on its first event.
    private static func written(_ channel: any DCEPChannelExercise.Type) -> Bool {
        var machine = channel.init()
        let fields = DCEPOpenFields(channelType: 0, priority: 0, reliabilityParameter: 0, label: "probe", protocol: "")
        do {
            _ = try machine.handle(.openRequested(fields))
        } catch ExerciseError.notImplemented {
            return false
        } catch {
            // Wrong answers are DCEPChannelExerciseHook.check's business.
        }
        return true
    }
}

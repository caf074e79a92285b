import DataChannels
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
/// fails the client's "checklist" step after the run. Which piece ran
/// goes to stderr and into the client's JSON line (`"exercises"`), where `lab check` reads it.
struct EchoExercisePieces {
    /// Exercise 07's OPEN codec, when written.
    var codec: DCEPOpenCodec?
    /// Exercise 11's channel state machines, when written.
    var drivers: DCEPChannelDrivers?
    /// Exercise 10's checklist, when written: it decides the client's ordinary ICE checks.
    var checklist: (any IceChecklistExercise.Type)?
    /// Exercise id → "yours", or why the library's ran instead.
    var report: [String: String] = [:]

    static let openID = "07-dcep-open"
    static let channelID = "11-dcep-channel"
    static let checklistID = "10-ice-checklist"

    /// Probes, checks and wraps the pieces (the student's by default).
    /// - Throws: `ChatFailure(.exerciseFailure)` when no piece is written, or a written one is wrong.
    static func resolve(open: any DCEPOpenExercise.Type = DCEPOpen.self,
                        channel: any DCEPChannelExercise.Type = DCEPChannel.self,
                        checklist: any IceChecklistExercise.Type = IceChecklist.self) throws -> EchoExercisePieces {
        var pieces = EchoExercisePieces()
        let notWritten = "the library's: not implemented yet (it throws notImplemented)"
        if written(open) {
            pieces.codec = try DCEPExercise.codec(using: open)
            pieces.report[openID] = "yours"
        } else {
            pieces.report[openID] = notWritten
        }
        if written(channel) {
            pieces.drivers = try DCEPChannelExerciseHook.drivers(using: channel)
            pieces.report[channelID] = "yours"
        } else {
            pieces.report[channelID] = notWritten
        }
        if IceChecklistProbe.isWritten(checklist) {
            pieces.checklist = checklist
            pieces.report[checklistID] = "yours"
        } else {
            pieces.report[checklistID] = notWritten
        }
        if pieces.codec == nil && pieces.drivers == nil && pieces.checklist == nil {
            // Neither is written: exercise 07 comes first in the lessons, so its message
            // (the one this tool always gave for the starter) says what to write first.
            _ = try DCEPExercise.codec(using: open)
        }
        return pieces
    }

    /// A fresh strategy running exercise 10 for one PeerConnection's ICE agent, if written.
    var checklistStrategy: (any ICEChecklistStrategy)? { checklist.map(IceChecklistProbe.strategy) }

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

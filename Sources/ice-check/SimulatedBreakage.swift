import ArgumentParser
import ICE
import Simulation
import Wire

/// `--simulate ... --break WHAT`: one fault put into the simulated run on purpose, so the
/// debugging lesson (lessons/10-debugging-by-layer.md) can show what each failure looks
/// like in the output. Each one is deterministic (virtual time, the run's seed).
enum SimulatedBreakage: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// The agents are configured with a wrong TURN password: the server's 401 challenge
    /// is answered with a MESSAGE-INTEGRITY made from the wrong key, and refused again.
    case turnPassword = "turn-password"
    /// The whole network goes down at `outageStart`, after ICE has completed: consent
    /// checks (RFC 7675) stop being answered, the agents go disconnected, then failed.
    case consent

    /// When the consent break cuts the network (ICE completes well before on every preset).
    static let outageStart = Instant.seconds(5)
    /// `outageStart` in whole seconds, for the texts.
    static let outageStartSeconds = Int(outageStart.nanoseconds / 1_000_000_000)
    /// The password the agents use with `turn-password` (the server expects another).
    static let wrongTURNPassword = "not-the-turn-password"

    /// One line per value, for --help.
    static let helpText = "turn-password (the agents give the simulated TURN server a wrong password) or consent "
        + "(every link goes down at \(outageStartSeconds) s, after ICE completed: consent freshness, "
        + "RFC 7675, fails the call 30 s later)"

    /// The TURN server as the agents are configured with it.
    static func agentTURNServer(_ server: ICETURNServer, _ breakage: SimulatedBreakage?) -> ICETURNServer {
        guard breakage == .turnPassword else { return server }
        var wrong = server   // the same server and transport; only the password is wrong
        wrong.password = wrongTURNPassword
        return wrong
    }

    /// The scripted drop rule the break needs, if any.
    static func rule(_ breakage: SimulatedBreakage?) -> ScriptedRule? {
        guard breakage == .consent else { return nil }
        return .outage(from: outageStart, until: SimulatedSession.deadline + .seconds(1),
                       name: "every link down from \(outageStartSeconds) s")
    }

    /// Whether the run may stop once both agents completed: not when the break comes after.
    static func stopsAtCompletion(_ breakage: SimulatedBreakage?) -> Bool { breakage != .consent }

    /// A side that selected a pair and then failed lost consent (RFC 7675 §5.1), which the
    /// generic outcome ("all pairs failed after end-of-candidates") would misname.
    static func nameConsentLoss(_ record: inout SessionRecord) {
        let lost = record.sides.filter { side in
            side.state == .failed && record.timeline.contains { $0.agent == side.name && $0.kind == "selected" }
        }
        guard !lost.isEmpty else { return }
        let failedAt = record.timeline.last { $0.kind == "state" && $0.text.hasSuffix("failed") }?.milliseconds
        record.outcome = "failed after connecting: \(lost.map(\.name).joined(separator: " and ")) got no answer to "
            + "consent checks on the selected pair for 30 s, so consent expired (RFC 7675 §5.1) and sending stopped"
            + (failedAt.map { " at \(Int($0)) ms" } ?? "")
    }
}

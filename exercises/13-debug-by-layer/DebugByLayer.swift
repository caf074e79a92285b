// Exercise 13 — debugging by layer.
//
// Your task (the method, the cases and hints in README.md next to this file):
//   for each of the seven broken connections of lesson 10, run its command, read the output,
//   find the first of the ten setup steps that did not happen, and answer
//     Diagnosis(layer: .theLayerThatFailed, evidence: "a line you copied from the output")
//   The evidence must be copied from that case's output (ports, times and fingerprints may
//   differ from run to run) and must show the failure itself, not just any line.
// Check your answer with:  lab check 13
import ExerciseInterfaces

/// Your diagnosis of each broken connection.
public enum DebugByLayer: DebugByLayerExercise {
    /// The layer that failed in `debugCase`, and a quoted line of its output that proves it.
    public static func diagnose(_ debugCase: DebugCase) throws -> Diagnosis {
        switch debugCase {
        // Replace each `throw` with, for example:
        //   return Diagnosis(layer: .dtls, evidence: "the line you copied")
        case .wrongFingerprint: throw ExerciseError.notImplemented   // dtls-handshake --expect-fingerprint "sha-256 AB:AB:…"
        case .udpBlocked: throw ExerciseError.notImplemented         // ice-check --simulate udp-blocked,open --no-turn
        case .symmetricNATs: throw ExerciseError.notImplemented      // ice-check --simulate symmetric,symmetric --no-turn
        case .wrongTURNPassword: throw ExerciseError.notImplemented  // ice-check --simulate symmetric,symmetric --break turn-password
        case .maxMessageSize: throw ExerciseError.notImplemented     // datachannel-chat echo URL --size 300000 --ignore-max-message-size
        case .expiredToken: throw ExerciseError.notImplemented       // datachannel-chat join --token (a token that has expired)
        case .consentLost: throw ExerciseError.notImplemented        // ice-check --simulate open,open --break consent
        }
    }
}

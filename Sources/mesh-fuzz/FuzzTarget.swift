// mesh-fuzz: the text the mesh reads from other programs, nothing may trap
// (docs/FUZZING.md).
//
// The FIRST INPUT BYTE SELECTS THE PARSER (`byte % 4`), a common libFuzzer pattern:
// one mutated byte moves an input between parsers, and each corpus file says which
// parser it is for. The rest of the input (invalid UTF-8 repaired by
// `String(decoding:)`, as a WebSocket or socket reader would have to) is:
// - 0: one signaling frame, as the registry and the agents read it:
//   `SignalingMessage.parse` and the payload readers (`SessionPayload`,
//   `CandidatePayload`, `PeerListPayload`); a frame that parses prints as JSON that
//   parses back to the same type, sender and target, and prints the same again;
// - 1: sidecar IPC lines (one per line, at most 16): each as an `IPCCommand` (what
//   the sidecar reads from its agent), as an `IPCEvent` (what an agent reads from its
//   sidecar) and as a `MeshMessage`; what parses prints a line that parses back to a
//   value that prints the same;
// - 2: the HTTP `POST /offer` body: `RTCSessionDescription` (WebRTC module) decoded
//   with Foundation's `JSONDecoder`, which is what datachannel-chat's echo server
//   does through Hummingbird's `request.decode` (and its client with the answer);
//   then what the server does before it builds a PeerConnection: the type check,
//   `parsed()` (the SDP parser), and JSEP's validation of a remote offer;
// - 3: a registry script (MeshRegistryScript.swift): frames and events from two
//   connections fed to a `RegistryCore`, with its invariants checked after each step.
import Foundation
import MeshProtocol
import SDP
import WebRTC

enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        switch selector % 4 {
        case 0: checkSignalingFrame(text)
        case 1: for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(16) { checkIPCLine(String(line)) }
        case 2: checkOfferBody(Array(bytes.dropFirst()))
        default:
            var script = MeshRegistryScript(Array(bytes.dropFirst()))
            script.run()
        }
    }

    /// A frame that parses prints as JSON that parses back alike; payload readers never trap.
    static func checkSignalingFrame(_ text: String) {
        guard let frame = try? SignalingMessage.parse(text) else { return }
        _ = try? SessionPayload(frame.payload)
        if let candidate = try? CandidatePayload(frame.payload) {
            _ = (candidate.isEndOfCandidates, candidate.isFirstMLine)
            let again = try? CandidatePayload(candidate.json)
            if again != candidate { fail("a candidate payload does not re-read from its own JSON", text) }
            if !candidate.candidate.isEmpty { _ = try? Candidate(parsing: candidate.candidate) }
        }
        if let peers = try? PeerListPayload(frame.payload), (try? PeerListPayload(peers.json)) != peers {
            fail("a peer list does not re-read from its own JSON", text)
        }
        let printed = frame.jsonText
        guard let again = try? SignalingMessage.parse(printed, maxBytes: .max) else {
            fail("a parsed frame prints JSON that does not parse: \(printed)", text)
        }
        guard again.kind == frame.kind, again.peerID == frame.peerID, again.targetID == frame.targetID,
              again.jsonText == printed else {
            fail("a parsed frame does not survive printing: \(printed)", text)
        }
    }

    /// One IPC line as a command, an event and a mesh message.
    static func checkIPCLine(_ line: String) {
        if let command = try? IPCCommand.parse(line) {
            let printed = command.jsonText
            guard let again = try? IPCCommand.parse(printed, maxBytes: .max), again.jsonText == printed else {
                fail("an IPC command does not survive printing: \(printed)", line)
            }
        }
        if let event = try? IPCEvent.parse(line) {
            let printed = event.jsonText
            guard let again = try? IPCEvent.parse(printed, maxBytes: .max), again.jsonText == printed else {
                fail("an IPC event does not survive printing: \(printed)", line)
            }
        }
        if let message = try? MeshMessage.parse(line) {
            let printed = message.jsonText
            guard let again = try? MeshMessage.parse(printed, maxBytes: .max), again.jsonText == printed else {
                fail("a mesh message does not survive printing: \(printed)", line)
            }
        }
    }

    /// The echo server's reading of a `POST /offer` body, up to the PeerConnection.
    static func checkOfferBody(_ body: [UInt8]) {
        guard let offer = try? JSONDecoder().decode(RTCSessionDescription.self, from: Data(body)) else { return }
        // What the echo client sends and reads back must survive its own JSON.
        guard let encoded = try? JSONEncoder().encode(offer),
              let again = try? JSONDecoder().decode(RTCSessionDescription.self, from: encoded), again == offer else {
            fail("an RTCSessionDescription does not survive JSONEncoder", String(decoding: body, as: UTF8.self))
        }
        do {
            let description = try offer.parsed()
            _ = try? RemoteDataChannelDescription(validating: description, as: offer.type == .offer ? .offer : .answer)
        } catch {
            if error.origin != .peer { fail("a bad SDP in /offer is blamed on us: \(error)", offer.sdp) }
        }
    }

    static func fail(_ why: String, _ input: String) -> Never {
        fatalError("mesh-fuzz: \(why)\n--- input ---\n\(input)")
    }
}

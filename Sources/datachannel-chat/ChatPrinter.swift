import Foundation
import MeshProtocol

/// How `join` shows the mesh: chat lines for people, or one JSON object per event
/// (`--json`) for programs and tests.
struct ChatPrinter: Sendable {
    let json: Bool

    func joined(as me: String, server: String) {
        emit(["event": "joined", "peer_id": .string(me), "server": .string(server)],
             "joined \(server) as \(me); type a line to send it to everyone (Ctrl-D to leave)")
    }

    func connected(_ peer: String) {
        emit(["event": "peer_connected", "peer_id": .string(peer)], "* \(peer) is connected (channel open)")
    }

    func disconnected(_ peer: String) {
        emit(["event": "peer_disconnected", "peer_id": .string(peer)], "* \(peer) disconnected")
    }

    func presence(_ peer: String, joined: Bool) {
        emit(["event": joined ? "peer_joined" : "peer_left", "peer_id": .string(peer)],
             "* \(peer) \(joined ? "joined the registry" : "left the registry")")
    }

    func message(from peer: String, message: MeshMessage) {
        let text = message.payload["text"]?.stringValue
        emit(["event": "message", "from": .string(peer), "type": .string(message.type),
              "text": text.map(JSONValue.string) ?? .null, "message": message.json],
             text.map { "\(peer): \($0)" } ?? "\(peer) [\(message.type)]: \(message.payload.jsonText)")
    }

    func sent(_ text: String, to peers: [String]) {
        emit(["event": "sent", "text": .string(text), "to": .array(peers.map(JSONValue.string))],
             peers.isEmpty ? "(nobody is connected: not sent)" : "me → \(peers.joined(separator: ", ")): \(text)")
    }

    func error(code: String, message: String) {
        emit(["event": "error", "code": .string(code), "message": .string(message)], "! \(code): \(message)")
    }

    func notice(_ text: String) {
        emit(["event": "notice", "message": .string(text)], "* \(text)")
    }

    private func emit(_ object: JSONValue, _ line: String) {
        print(json ? object.jsonText : line)
        fflush(nil)   // all streams: stdout is a global var Swift 6 will not touch
    }
}

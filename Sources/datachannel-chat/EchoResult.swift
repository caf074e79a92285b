import Foundation

/// One check of the echo client: what was sent on which channel, and whether
/// the echo matched.
struct EchoStep: Codable, Sendable {
    /// "connect", "open", "text", "binary", "empty-text", "empty-binary", "burst", "large"; under
    /// --use-exercise also "checklist", "transactions" and "stream receive".
    var step: String
    /// The channel's label (nil for connection-wide steps).
    var channel: String?
    /// Whether it passed.
    var ok: Bool
    /// What was seen, for humans.
    var detail: String
    /// How long it took.
    var ms: Double
}

/// The client's one JSON result line, in the shape every interop peer script
/// prints too (scripts/interop/README.md), so tests parse them all alike.
struct EchoResult: Codable, Sendable {
    var ok: Bool
    var peer = "webrtc-lab"
    var role = "client"
    var url: String
    var steps: [EchoStep] = []
    /// Bytes in the large message actually sent.
    var large_size: Int?
    /// The answer's a=max-message-size (nil: absent, 65536 assumed).
    var remote_max_message_size: Int?
    var channel_types: [String] = []
    var elapsed_ms: Double = 0
    /// The first failed step, and why.
    var step: String?
    var error: String?
    /// --use-exercise: each student piece and who ran it ("yours", or why the library's did).
    var exercises: [String: String]?

    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? #"{"ok":false,"error":"cannot encode the result"}"#
    }

    /// The human form: one line per step, then the verdict.
    var table: String {
        var lines = ["echo client -> \(url)", ""]
        let width = max(12, (steps.compactMap(\.channel).map(\.count).max() ?? 0) + 1)
        lines.append("step          " + "channel".padding(toLength: width, withPad: " ", startingAt: 0) + "    ms  result")
        for step in steps {
            let channel = (step.channel ?? "-").padding(toLength: width, withPad: " ", startingAt: 0)
            let ms = String(format: "%6.1f", step.ms)
            lines.append(step.step.padding(toLength: 14, withPad: " ", startingAt: 0) + channel + ms + "  "
                         + (step.ok ? "ok" : "FAILED") + "  " + step.detail)
        }
        lines.append("")
        let sizeNote = remote_max_message_size.map { "the peer's a=max-message-size is \($0)" }
            ?? "the peer's SDP has no a=max-message-size (65536 assumed, RFC 8841 §6)"
        if let large_size { lines.append("large message: \(large_size) bytes (\(sizeNote))") }
        if ok {
            lines.append("PASSED: \(steps.count) steps in \(String(format: "%.0f", elapsed_ms)) ms")
        } else {
            lines.append("FAILED at step \(step ?? "?"): \(error ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation
import Testing
import ToolTestSupport

enum DtlsHandshake {
    /// The dtls-handshake executable: built next to the test bundle whatever --scratch-path was used.
    /// Missing means `swift build` was not run first: the test fails, it does not skip.
    static func path() throws -> String { try Programs.product("dtls-handshake") }

    /// Runs dtls-handshake with `arguments` to completion (60 s at most).
    static func run(_ arguments: [String]) throws -> ToolRun {
        try Programs.run(try path(), arguments)
    }

    /// A fresh temporary path (not created).
    static func temporaryPath(_ suffix: String) -> String {
        Programs.temporaryPath("dtls-handshake", suffix)
    }
}

/// `dtls-handshake --listen` in the background: its first stdout line names the
/// port and fingerprint; `finish()` waits for it to exit and returns everything.
final class Listener {
    private let program: BackgroundProgram
    var process: Process { program.process }
    /// The address and fingerprint from the first line.
    private(set) var port: UInt16 = 0
    private(set) var fingerprint = ""

    init(_ arguments: [String] = []) throws {
        program = try BackgroundProgram(try DtlsHandshake.path(), ["--listen", "127.0.0.1:0"] + arguments, input: false)
        let first = try #require(program.readLine(), "the listener printed nothing")
        // "listening on 127.0.0.1:PORT fingerprint sha-256 AB:..."
        let words = first.split(separator: " ").map(String.init)
        try #require(words.count == 6 && words[0] == "listening" && words[3] == "fingerprint", "unexpected first line: \(first)")
        let portText = try #require(words[2].split(separator: ":").last)
        port = try #require(UInt16(portText))
        fingerprint = words[4] + " " + words[5]
    }

    /// Waits (at most 30 s) for the listener to exit; returns its status and output.
    func finish() -> ToolRun { program.finish(timeout: .seconds(30)) }
}

/// Finds `needles` in `text` in this order; returns the first one missing or out of order.
func firstOutOfOrder(_ needles: [String], in text: String) -> String? {
    var rest = text[...]
    for needle in needles {
        guard let range = rest.range(of: needle) else { return needle }
        rest = rest[range.upperBound...]
    }
    return nil
}

import Foundation
import ToolTestSupport

enum IceCheck {
    /// A committed SDP fixture by file name, through its repository path.
    static func fixture(_ name: String) -> String {
        Programs.repositoryRoot.appendingPathComponent("Tests/SDPTests/Fixtures").appendingPathComponent(name).path
    }

    /// Runs ice-check (built next to the test bundle; missing, the test fails) with
    /// `arguments`, feeding `stdinFile` (or nothing) to its standard input.
    static func run(_ arguments: [String], stdinFile: String? = nil) throws -> ToolRun {
        try Programs.runProduct("ice-check", arguments, stdinFile: stdinFile)
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String) throws -> String {
        try Programs.temporaryFile(text, prefix: "ice-check", suffix: ".sdp")
    }
}

// ToolSupport: the edge every per-layer tool (stun-probe, ice-check, dtls-handshake,
// sctp-streams) shares with the shell. Each tool keeps its own table of exit codes, one
// per way a run can fail, so scripts and lessons can tell failures apart; the numbers
// are part of each tool's interface (tests and lessons rely on them). What is common
// lives here: the --help table, the one-line failure, and main's error handling.

/// A tool's table of exit codes: an `Int32` enum with at least these three cases.
public protocol ToolExitCode: RawRepresentable, CaseIterable, Sendable where RawValue == Int32 {
    /// 0: the run did what was asked.
    static var success: Self { get }
    /// Something local failed (a socket, a file), or an error nothing else explains.
    static var localFailure: Self { get }
    /// Bad arguments (ArgumentParser's validation errors end here).
    static var usage: Self { get }
    /// One line for --help.
    var meaning: String { get }
}

extension ToolExitCode {
    /// The table printed at the end of --help: the number, padded to 4 columns, and the meaning.
    public static var helpTable: String {
        allCases.map { code in
            let number = String(code.rawValue)
            return "  " + number + String(repeating: " ", count: max(1, 4 - number.count)) + code.meaning
        }.joined(separator: "\n")
    }
}

/// A failure that ends the program with a one-line message and a distinct exit code.
public struct ToolFailure<Exit: ToolExitCode>: Error, CustomStringConvertible {
    /// The exit code.
    public let exit: Exit
    /// One line, no trailing period needed, no stack trace.
    public let message: String

    /// Ends the run with `exit` after printing `message`.
    public init(_ exit: Exit, _ message: String) {
        self.exit = exit
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// The run ended with a failure already reported (text or JSON): exit with this code, print nothing more.
public struct ToolExitRequest<Exit: ToolExitCode>: Error {
    /// The exit code.
    public let exit: Exit

    /// Ends the run with `exit`, printing nothing.
    public init(exit: Exit) { self.exit = exit }
}

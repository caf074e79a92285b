import ArgumentParser
import Foundation

/// Writes one line to standard error (after flushing stdout, so the two stay in order).
public func printError(_ line: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// The body of a tool's main.swift.
public enum ToolMain {
    /// Parses the command line, runs `Command` and exits: 0 on success; a `ToolFailure`'s
    /// code after printing "NAME: error: MESSAGE" on stderr; a `ToolExitRequest`'s code
    /// silently; `--help`/`--version` text on stdout with 0; an ArgumentParser validation
    /// error as one line with `Exit.usage`; any other error as one line with `Exit.localFailure`.
    public static func run<Command: ParsableCommand, Exit: ToolExitCode>(_ command: Command.Type, name: String,
                                                                         exits: Exit.Type) -> Never {
        do {
            var parsed = try Command.parseAsRoot()
            try parsed.run()
            fflush(nil)
            exit(Exit.success.rawValue)
        } catch {
            finish(error, command: Command.self, name: name, exits: Exit.self)
        }
    }
}

extension ToolMain {
    /// `run` for a tool whose command is async (its subcommands await network I/O):
    /// the same exit codes and one-line errors.
    public static func runAsync<Command: AsyncParsableCommand, Exit: ToolExitCode>(_ command: Command.Type, name: String,
                                                                                   exits: Exit.Type) async -> Never {
        do {
            var parsed = try Command.parseAsRoot()
            if var asyncCommand = parsed as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try parsed.run()
            }
            fflush(nil)
            exit(Exit.success.rawValue)
        } catch {
            finish(error, command: Command.self, name: name, exits: Exit.self)
        }
    }

    /// Reports `error` as `run` does and exits.
    static func finish<Command: ParsableCommand, Exit: ToolExitCode>(_ error: any Error, command: Command.Type, name: String,
                                                                     exits: Exit.Type) -> Never {
        if let request = error as? ToolExitRequest<Exit> {
            fflush(nil)
            exit(request.exit.rawValue)
        }
        if let failure = error as? ToolFailure<Exit> {
            printError("\(name): error: \(failure.message)")
            exit(failure.exit.rawValue)
        }
        let code = Command.exitCode(for: error)
        if code == .success {
            print(Command.fullMessage(for: error))
            exit(0)
        }
        let message = Command.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        if code == .validationFailure {
            printError("\(name): error: \(message) (see \(name) --help)")
            exit(Exit.usage.rawValue)
        }
        printError("\(name): error: \(message)")
        exit(Exit.localFailure.rawValue)
    }
}

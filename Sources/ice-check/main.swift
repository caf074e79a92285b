// ice-check: ICE (RFC 8445) made visible: two agents over loopback UDP or simulated NATs
// (the default `run`), and SDP explained (`sdp`); see IceCheckCommand for options and exit codes.
import ArgumentParser
import Foundation

/// Writes one line to standard error (after flushing stdout, so the two stay in order).
func printError(_ line: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

do {
    var command = try IceCheckCommand.parseAsRoot()
    try command.run()
    fflush(nil)
    exit(IceCheckExit.success.rawValue)
} catch let failure as IceCheckFailure {
    printError("ice-check: error: \(failure.message)")
    exit(failure.exit.rawValue)
} catch {
    let code = IceCheckCommand.exitCode(for: error)
    if code == .success {
        // --help, --version, or no subcommand: ArgumentParser's help text, on stdout.
        print(IceCheckCommand.fullMessage(for: error))
        exit(0)
    }
    let message = IceCheckCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    if code == .validationFailure {
        printError("ice-check: error: \(message) (see ice-check --help)")
        exit(IceCheckExit.usage.rawValue)
    }
    printError("ice-check: error: \(message)")
    exit(IceCheckExit.localFailure.rawValue)
}

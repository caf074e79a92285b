// stun-probe: a STUN (RFC 8489) Binding client that shows the exchange byte by
// byte, plus a server to probe. See ProbeCommand for the options and exit codes.
import ArgumentParser
import Foundation

/// Writes one line to standard error (after flushing stdout, so the two stay in order).
func printError(_ line: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

do {
    var command = try ProbeCommand.parse()
    try command.run()
    fflush(nil)
    exit(ProbeExit.success.rawValue)
} catch let failure as ProbeFailure {
    printError("stun-probe: error: \(failure.message)")
    exit(failure.exit.rawValue)
} catch {
    let code = ProbeCommand.exitCode(for: error)
    if code == .success {
        // --help and --version: ArgumentParser's text, on stdout.
        print(ProbeCommand.fullMessage(for: error))
        exit(0)
    }
    let message = ProbeCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    if code == .validationFailure {
        printError("stun-probe: error: \(message) (see stun-probe --help)")
        exit(ProbeExit.usage.rawValue)
    }
    printError("stun-probe: error: \(message)")
    exit(ProbeExit.localFailure.rawValue)
}

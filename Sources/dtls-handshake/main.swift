// dtls-handshake: a DTLS 1.2 handshake (RFC 6347) as WebRTC runs it (RFC 8827 §6.5,
// RFC 8842), made visible flight by flight; see HandshakeCommand for options and exit codes.
import ArgumentParser
import Foundation

/// Writes one line to standard error (after flushing stdout, so the two stay in order).
func printError(_ line: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

do {
    var command = try HandshakeCommand.parseAsRoot()
    try command.run()
    fflush(nil)
    exit(HandshakeExit.success.rawValue)
} catch let request as HandshakeExitRequest {
    fflush(nil)
    exit(request.exit.rawValue)
} catch let failure as HandshakeFailure {
    printError("dtls-handshake: error: \(failure.message)")
    exit(failure.exit.rawValue)
} catch {
    let code = HandshakeCommand.exitCode(for: error)
    if code == .success {
        // --help or --version: ArgumentParser's text, on stdout.
        print(HandshakeCommand.fullMessage(for: error))
        exit(0)
    }
    let message = HandshakeCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    if code == .validationFailure {
        printError("dtls-handshake: error: \(message) (see dtls-handshake --help)")
        exit(HandshakeExit.usage.rawValue)
    }
    printError("dtls-handshake: error: \(message)")
    exit(HandshakeExit.localFailure.rawValue)
}

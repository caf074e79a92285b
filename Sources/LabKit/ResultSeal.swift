import Foundation

/// The secret a check's runner puts in front of its result line, so that a line the
/// student's code prints cannot pass for the check's result.
///
/// Why: the student's code runs in the runner's own process, with the same stdout. A
/// submission can read its check's id from `/proc/self/cmdline`, print a result line that
/// says "passed" and exit before the real check finishes. With a seal, the grader accepts
/// only a line that starts with a fresh random token which it hands the runner on stdin.
/// The runner reads it before any student code runs, then points stdin at /dev/null, so
/// the token is in neither the arguments, the environment, nor a file the jail can see.
///
/// What is left: the token is in the process's memory while the check runs, and code that
/// searches its own memory could find it. Closing that needs the student's code in a
/// process of its own, which the checks (they call the student's functions) do not have.
struct ResultSeal {
    /// 128 random bits, hex.
    let token: String
    /// A file holding `token` and a newline: the runner's stdin.
    let file: String

    /// A new token in a new private file.
    static func make() throws -> ResultSeal {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("lab-seal-\(token.prefix(8))-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: file, contents: Data((token + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw LabError(.cannotRun, "cannot write the check's seal file \(file)")
        }
        return ResultSeal(token: token, file: file)
    }

    /// Deletes the file.
    func remove() {
        try? FileManager.default.removeItem(atPath: file)
    }

    /// The JSON of the last sealed line of `stdout`, if any.
    func sealedResult(in stdout: String) -> Substring? {
        let prefix = token + " "
        guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }) else { return nil }
        return line.dropFirst(prefix.count)
    }

    /// Whether `stdout` has a line shaped like a result without the seal (a forgery, or a
    /// runner too old to seal).
    static func hasUnsealedResultLine(_ stdout: String) -> Bool {
        stdout.split(separator: "\n").contains { $0.hasPrefix("{\"id\":") }
    }
}

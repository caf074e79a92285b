import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A command-line peer (openssl, tshark) is missing or would not start: the
/// interop test fails with this, it never skips.
struct InteropPeerUnavailable: Error, CustomStringConvertible {
    let description: String
}

/// Finding and running the system's command-line tools.
enum SystemTool {
    /// The absolute path of `name`, or a loud failure naming the package to install.
    static func path(of name: String) throws -> String {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw InteropPeerUnavailable(description: "\(name) is not installed: run scripts/setup.sh (apt-get install \(name))")
    }

    /// Runs `name` to completion with `input` on stdin and returns its stdout, its
    /// stderr (kept apart: tshark warns there when run as root) and its exit
    /// status. Output goes through files, not pipes, so a chatty tool can never
    /// block on a full pipe.
    static func run(_ name: String, _ arguments: [String], input: String = "") throws -> (output: String, errors: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(of: name))
        process.arguments = arguments
        let outputFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("dtls-interop-\(name)-\(UUID().uuidString).out")
        let errorFile = outputFile.deletingPathExtension().appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = try FileHandle(forWritingTo: errorFile)
        defer { try? output.close(); try? errors.close() }
        process.standardOutput = output
        process.standardError = errors
        let stdin = Pipe()
        process.standardInput = stdin
        ignoreBrokenPipes()
        try process.run()
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        func text(_ file: URL) -> String { String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self) }
        return (text(outputFile), text(errorFile), process.terminationStatus)
    }

    /// Writing to a peer that already exited must fail the write, not kill the
    /// test process with SIGPIPE (the default action).
    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }
}

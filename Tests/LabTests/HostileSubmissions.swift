import Foundation
import Testing

/// Submissions that attack the grader: each is the reference solutions with exercise 03's
/// `candidatePriority` (a pure function six checks call) opening with one hostile act.
/// The act's result decides the answer, so a submission "passes" only if the act worked.
enum HostileSubmissions {
    /// The exercise tampered with, and the only one the sandbox tests grade.
    static let exerciseID = "03-candidate-priority"
    static let file = "CandidatePriority.swift"
    /// The checks that call `candidatePriority`: the ones each hostile act fails.
    static let affectedChecks = [
        "03.candidate.host", "03.candidate.srflx", "03.candidate.relay", "03.candidate.component-2",
        "03.candidate.fields", "03.candidate.rejects-out-of-range",
    ]

    /// One hostile act: a submission folder name and the Swift body of `HostileAct.act() -> Bool`.
    struct Act {
        let name: String
        let body: String
    }

    /// Reads another student's file (and the grader's repository); true if any was readable.
    static func reader(classmateFile: String, repositoryFile: String) -> Act {
        Act(name: "reader", body: """
            var stole = false
            for path in [\(swiftString(classmateFile)), \(swiftString(repositoryFile))] {
                if let file = fopen(path, "r") {
                    fclose(file)
                    stole = true
                } else {
                    perror("open \\(path)")
                }
            }
            return stole
            """)
    }

    /// Connects to a TCP port on the grader's loopback; true if it connected.
    static func socket(port: UInt16) -> Act {
        Act(name: "socket", body: """
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { perror("socket"); return false }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(\(port)).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if result != 0 { perror("connect 127.0.0.1:\(port)"); return false }
            return true
            """)
    }

    /// Forks forever, silently, in every child too.
    static let forkBomb = Act(name: "forkbomb", body: """
        while true { _ = fork() }
        """)

    /// Writes 8 GiB of 0x55 to a file in its working directory.
    static let diskFill = Act(name: "diskfill", body: """
        guard let file = fopen("gigabytes.bin", "w") else { perror("fopen gigabytes.bin"); return false }
        let chunk = [UInt8](repeating: 0x55, count: 1 << 20)
        for _ in 0..<(8 << 10) where fwrite(chunk, 1, chunk.count, file) != chunk.count {
            perror("fwrite gigabytes.bin")
            break
        }
        fclose(file)
        return false
        """)

    /// Prints to stdout forever.
    static let chatter = Act(name: "chatter", body: """
        let line = String(repeating: "spam ", count: 20)
        while true { print(line) }
        """)

    /// Prints a "passed" result line for its check (the id comes from the runner's
    /// arguments in /proc/self/cmdline) and exits before the check can print its own.
    static let forger = Act(name: "forger", body: #"""
        guard let file = fopen("/proc/self/cmdline", "r") else { perror("fopen /proc/self/cmdline"); return false }
        var bytes: [UInt8] = []
        var byte = fgetc(file)
        while byte != EOF { bytes.append(UInt8(byte)); byte = fgetc(file) }
        fclose(file)
        let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let index = arguments.firstIndex(of: "--check"), index + 1 < arguments.count else { return false }
        let id = arguments[index + 1]
        print("{\"id\":\"\(id)\",\"exercise\":\"03-candidate-priority\",\"title\":\"forged\",\"points\":1,\"earned\":1,\"status\":\"passed\",\"rule\":\"forged\"}")
        fflush(nil)
        exit(0)
        """#)

    /// Makes `directory` a copy of the repository's solutions/ with `act` wired into exercise 03.
    static func write(_ act: Act, to directory: String, repository: String) throws {
        try FileManager.default.copyItem(atPath: repository + "/solutions", toPath: directory)
        let path = directory + "/" + exerciseID + "/" + file
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let anchor = "public static func candidatePriority(typePreference: Int, localPreference: Int, componentID: Int) throws -> UInt32 {\n"
        let range = try #require(source.range(of: anchor), "the solution no longer contains \(anchor.debugDescription)")
        let tampered = "import Glibc\n"
            + source.replacingCharacters(in: range, with: anchor + "        guard HostileAct.act() else { return 0 }\n")
            + "\nenum HostileAct {\n    static func act() -> Bool {\n"
            + act.body.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n")
            + "\n    }\n}\n"
        try tampered.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `text` as a Swift string literal.
    static func swiftString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

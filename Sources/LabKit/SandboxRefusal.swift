// Naming what the sandbox refused, for the gradebook.
//
// The sandbox never tells us directly; what a check leaves behind does: how its process
// ended (SIGXFSZ past the file size limit, a kill at the output cap, many processes alive
// at the time-out) and what it wrote on stderr (the errno text of a refused socket or of a
// file outside its view). A student's code that hides its errors still fails the check; it
// is only the reason that is then the generic one.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The words the reports use when a sandboxed check ran into one of the sandbox's walls.
public enum SandboxRefusal {
    /// The runner's output cap (bytes per stream) in grading.
    public static let outputLimit = 256 * 1024

    /// bwrap reports a command killed by signal N as exit status 128 + N: the signal, if so.
    static func signal(fromExitStatus status: Int32) -> Int32? {
        status > 128 && status < 128 + 65 ? status - 128 : nil
    }

    /// Why the sandbox stopped this check, in words, or nil when nothing points at it.
    public static func explain(_ outcome: ChildOutcome, limits: SandboxLimits) -> String? {
        if outcome.stoppedAtOutputLimit {
            return "refused by the sandbox: output over \(outputLimit / 1024) KiB: stopped"
        }
        var signal: Int32?
        switch outcome.termination {
        case .signalled(let number): signal = number
        case .exited(let status): signal = Self.signal(fromExitStatus: status)
        case .timedOut: break
        }
        if signal == SIGXFSZ {
            return "refused by the sandbox: the file size limit (\(limits.fileSize >> 20) MiB): the check wrote a file past it and was stopped"
        }
        let lines = outcome.stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let processes = outcome.processesAtTimeout, processes >= max(4, limits.processes / 2) {
            // No count in the words: the gradebook merges checks with the same reason.
            return "refused by the sandbox: the process limit (fork bomb?): \(limits.processes) processes, still running when the time limit stopped them"
        }
        if let line = lines.first(where: { $0.contains("fork") && ($0.contains("Resource temporarily unavailable") || $0.contains("Cannot fork")) }) {
            return "refused by the sandbox: the process limit (fork bomb?) (\(excerpt(line)))"
        }
        if let line = lines.first(where: { line in memoryWords.contains { line.contains($0) } }) {
            return "refused by the sandbox: the memory limit (\(limits.addressSpace >> 20) MiB of address space) (\(excerpt(line)))"
        }
        if let line = lines.first(where: { line in networkWords.contains { line.contains($0) } }) {
            return "refused: no network in grading (\(excerpt(line)))"
        }
        if let line = lines.first(where: { $0.contains("No space left on device") || $0.contains("Disk quota exceeded") }) {
            return "refused by the sandbox: its private /tmp (\(limits.temporarySpace >> 20) MiB) is full (\(excerpt(line)))"
        }
        if let line = lines.first(where: { line in fileWords.contains { line.contains($0) } }) {
            return "refused by the sandbox: a file outside the check's view, where only the check runner is visible (\(excerpt(line)))"
        }
        return nil
    }

    /// errno texts of a socket the empty network namespace turned away.
    static let networkWords = ["Network is unreachable", "Connection refused", "Address family not supported",
                               "Cannot assign requested address", "No route to host"]
    /// Allocation failures under RLIMIT_AS (glibc's errno text, Swift's runtime message).
    static let memoryWords = ["Cannot allocate memory", "Could not allocate memory", "failed to allocate", "out of memory"]
    /// errno texts of a path the jail does not hold or does not let the check write.
    static let fileWords = ["No such file or directory", "Permission denied", "Read-only file system"]

    /// One stderr line, cut to a length a CSV cell can carry.
    static func excerpt(_ line: String) -> String {
        let text = line.replacingOccurrences(of: "\"", with: "'")
        return "stderr: " + (text.count > 160 ? String(text.prefix(160)) + "…" : text)
    }
}

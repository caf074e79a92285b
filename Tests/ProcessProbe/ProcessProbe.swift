// What the soak and load suites measure about a process (Linux /proc): resident
// memory, open descriptors, and whether a sanitizer's runtime is in it, which changes
// what a memory bound can promise.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Resident memory, descriptors and sanitizer runtime of this process or another one.
public enum ProcessProbe {
    /// VmRSS in KiB of process `pid` (this process when nil), or -1 when /proc cannot say
    /// (the process is gone).
    public static func residentKiB(pid: Int32? = nil) -> Int {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return -1 }
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? -1
    }

    /// Open file descriptors of this process, or -1 when /proc cannot say.
    public static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// Gives the allocator's free pages back to the system (glibc's `malloc_trim`), so
    /// that VmRSS counts memory in use rather than what the allocator keeps for later.
    public static func releaseFreePages() {
        #if canImport(Glibc)
        // malloc.h is not in Swift's Glibc module: look the function up (RTLD_DEFAULT is nil).
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
        #endif
    }

    /// The sanitizer whose runtime this process carries ("address", "thread"), or nil.
    /// A sanitized test binary's tools come from the same build (scripts/sanitize.sh), so
    /// this also says what the processes it starts carry.
    public static let sanitizer: String? = {
        #if canImport(Glibc)
        // The runtimes export their init functions (checked with a two-line program built
        // each way: only the matching symbol is there).
        if dlsym(nil, "__asan_init") != nil { return "address" }
        if dlsym(nil, "__tsan_init") != nil { return "thread" }
        #endif
        return nil
    }()

    /// What a resident-memory bound must add for the sanitizer runtime: 0 in a plain
    /// build. AddressSanitizer holds freed memory in a 256 MiB quarantine (so freed is
    /// not returned) and adds shadow memory and red zones; its whole-suite run measured
    /// +326 MiB over 100 connection cycles and +413 MiB in a sidecar that bounds itself
    /// to 64 MiB in a plain build (2026-12-07). Under a sanitizer the bound then only
    /// catches gross growth; the plain build's run is the one that holds the real bound.
    public static var memorySlackKiB: Int { sanitizer == nil ? 0 : 768 * 1024 }
}

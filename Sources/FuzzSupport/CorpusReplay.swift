#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Without libFuzzer: replays corpus files (or every file in given directories)
/// through a fuzz target, so `swift build` works and CI replays the corpus.
/// Exit status 0 when every input ran (a trap kills the process instead), 64 for
/// a missing argument, 66 for an unreadable file.
struct CorpusReplay {
    let name: String
    let target: ([UInt8]) -> Void

    /// Runs `arguments` (paths) and returns the exit status.
    func run(arguments: [String]) -> CInt {
        guard !arguments.isEmpty, !arguments.contains("--help"), !arguments.contains("-h") else {
            print("usage: \(name) FILE|DIR...   (replays inputs; build with -sanitize=fuzzer -DFUZZING to fuzz, see docs/FUZZING.md)")
            return arguments.isEmpty ? 64 : 0
        }
        var count = 0
        for path in arguments {
            for file in Self.files(at: path) {
                guard let bytes = Self.read(file) else {
                    print("\(name): cannot read \(file)")
                    return 66
                }
                target(bytes)
                count += 1
            }
        }
        print("\(name): replayed \(count) input(s), no crash")
        return 0
    }

    /// The path itself, or the regular files directly inside it when it is a directory.
    static func files(at path: String) -> [String] {
        guard let directory = opendir(path) else { return [path] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            names.append(path + "/" + name)
        }
        return names.sorted()
    }

    /// The whole file, or nil when it cannot be opened.
    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes += buffer[0..<count] }
            if count < buffer.count { break }
        }
        return bytes
    }
}

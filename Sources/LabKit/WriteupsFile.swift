// Reading a student's ANSWERS.md without trusting it. The file comes from a hand-in: it may
// be missing, huge, binary, a directory, a FIFO that blocks whoever opens it, or a symbolic
// link to a file of the grader's (whose text would then land in a report). So it is opened
// with O_NOFOLLOW and O_NONBLOCK, must be a regular file, and at most
// `Writeups.maximumFileBytes` are read.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What reading one ANSWERS.md gave.
public enum WriteupFileContent: Sendable, Equatable {
    /// Its text (line ends normalised, control characters dropped), with notes on what was
    /// changed or cut ("only the first 64 KiB were read").
    case text(String, notes: [String])
    /// There is no such file.
    case missing
    /// It exists but is not read; the reason is one sentence for the report.
    case unreadable(String)

    /// Reads `path`, bounded by `limit` bytes.
    public static func read(_ path: String, limit: Int = Writeups.maximumFileBytes) -> WriteupFileContent {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: return .missing
            case ELOOP: return .unreadable("it is a symbolic link; only a plain file is read")
            default: return .unreadable("it cannot be opened (\(String(cString: strerror(code))))")
            }
        }
        defer { _ = systemClose(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .unreadable("its type cannot be read") }
        guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { return .unreadable("it is not a plain file (a directory or a device?)") }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .unreadable("reading it failed (\(String(cString: strerror(errno))))")
            }
            if count == 0 { break }
            bytes += chunk.prefix(count)
        }
        return decode(bytes, limit: limit, fileSize: Int(status.st_size))
    }

    /// Text from raw bytes: refused when binary (a NUL byte), cut at `limit`, invalid UTF-8
    /// replaced by U+FFFD with a note.
    static func decode(_ raw: [UInt8], limit: Int, fileSize: Int) -> WriteupFileContent {
        guard !raw.contains(0) else {
            return .unreadable("it looks binary (it contains NUL bytes), not like text")
        }
        var notes: [String] = []
        var text: String
        if raw.count > limit {
            notes.append("it is \(Self.size(max(fileSize, raw.count))), more than the \(Self.size(limit)) read: only the beginning was read")
            text = String(decoding: raw.prefix(limit), as: UTF8.self)
            // The cut may split a character; drop the replacement it leaves at the end.
            while text.hasSuffix("\u{FFFD}") { text.removeLast() }
        } else if let valid = String(validating: raw, as: UTF8.self) {
            text = valid
        } else {
            notes.append("it is not valid UTF-8: the bytes that are not were replaced by \u{FFFD}")
            text = String(decoding: raw, as: UTF8.self)
        }
        return .text(clean(text), notes: notes)
    }

    /// Line ends as "\n"; no byte-order mark; no control characters but tab and line feed (a
    /// terminal escape in an answer must not reach the instructor's terminal or report).
    static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar.value {
            case 0x0D: out.append("\n")
            case 0x0A: if !previousWasCR { out.append(scalar) }
            case 0x09: out.append(scalar)
            case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0xFEFF: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// "64 KiB", "3.2 MiB", "512 bytes".
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes * 10 / 1024 / 10).\(bytes * 10 / 1024 % 10) KiB" }
        return "\(bytes * 10 / (1024 * 1024) / 10).\(bytes * 10 / (1024 * 1024) % 10) MiB"
    }
}

// The system calls under names of their own: inside `WriteupFileContent`, `read` means its
// static method.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }

import Foundation

/// Reads the description to explain from a file or standard input (`-`).
///
/// Input is hostile: anything above `maximumBytes` is refused (a real offer is a
/// few kilobytes), and bytes that are not UTF-8 are reported, not trapped on.
enum SDPInput {
    /// The largest input accepted; browsers' descriptions are 1-10 kB.
    static let maximumBytes = 1 << 20

    /// The text of `path` (`-` = standard input) and the name to show for it.
    static func read(_ path: String) throws(IceCheckFailure) -> (name: String, text: String) {
        let name = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = try readAll(FileHandle.standardInput, name: name)
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw IceCheckFailure(.unreadableInput, "cannot read \(path): no such file")
            }
            guard !isDirectory.boolValue else { throw IceCheckFailure(.unreadableInput, "cannot read \(path): it is a directory") }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw IceCheckFailure(.unreadableInput, "cannot read \(path): permission denied or not a regular file")
            }
            defer { try? handle.close() }
            data = try readAll(handle, name: name)
        }
        guard data.count <= maximumBytes else {
            throw IceCheckFailure(.unparsableSDP, "\(name) is not an SDP: larger than \(maximumBytes) bytes")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw IceCheckFailure(.unparsableSDP, "\(name) is not an SDP: it is not UTF-8 text")
        }
        return (name, text)
    }

    /// Reads up to one byte more than the limit, so oversized input is detected without reading it all.
    private static func readAll(_ handle: FileHandle, name: String) throws(IceCheckFailure) -> Data {
        var data = Data()
        do {
            while data.count <= maximumBytes {
                guard let chunk = try handle.read(upToCount: 64 * 1024), !chunk.isEmpty else { break }
                data.append(chunk)
            }
        } catch {
            throw IceCheckFailure(.unreadableInput, "cannot read \(name): \(error.localizedDescription)")
        }
        return data
    }
}

/// Where each line of the input starts, so every explained fact can name its line.
///
/// The SDP module keeps lines but not their numbers; this splits the text the
/// same way it does (on LF, dropping a CR before it) and finds attributes by
/// their prefix, in order, within the session part or one media section.
struct LineIndex {
    /// One input line.
    struct Line {
        /// 1-based line number.
        let number: Int
        /// Byte offset of its first character in the input.
        let offset: Int
        /// The line without its ending.
        let text: String
    }

    let lines: [Line]

    init(_ text: String) {
        var lines: [Line] = []
        var offset = 0
        for segment in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let body = segment.last == 0x0D ? segment.dropLast() : segment[...]
            lines.append(Line(number: lines.count + 1, offset: offset, text: String(decoding: body, as: UTF8.self)))
            offset += segment.count + 1
        }
        if lines.count > 1, lines.last?.text.isEmpty == true { lines.removeLast() }
        self.lines = lines
    }

    /// The `m=` lines, in order.
    var mediaLines: [Line] { lines.filter { $0.text.hasPrefix("m=") } }

    /// The lines of the session part (index nil) or of media section `index`.
    func scope(_ index: Int?) -> ArraySlice<Line> {
        let starts = mediaLines.map(\.number)
        guard let index else { return lines.prefix((starts.first ?? lines.count + 1) - 1) }
        guard index < starts.count else { return [] }
        let end = index + 1 < starts.count ? starts[index + 1] - 1 : lines.count
        return lines[(starts[index] - 1)..<end]
    }

    /// Every line in `scope` starting with `prefix`, in order.
    func lines(_ prefix: String, in scope: Int?) -> [Line] { self.scope(scope).filter { $0.text.hasPrefix(prefix) } }

    /// The first line in `scope` starting with `prefix`.
    func first(_ prefix: String, in scope: Int?) -> Line? { self.scope(scope).first { $0.text.hasPrefix(prefix) } }

    /// The line holding byte `offset`.
    func line(atOffset offset: Int) -> Line? { lines.last { $0.offset <= offset } }
}

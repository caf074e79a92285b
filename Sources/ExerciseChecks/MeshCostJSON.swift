// A small JSON reader (RFC 8259) for exercise 08's demo reports.
//
// Why not Foundation's JSONSerialization: ExerciseChecks is compiled into every student's
// grading workspace and into exercise-runner, which stay Foundation-free so they build and
// start fast. A demo report is a few kilobytes of plain objects, arrays and numbers, and the
// report may come from a file a student edited or a tool that crashed half-way, so every
// malformation is a typed error, never a trap: depth is bounded, every index is checked.

/// A parsed JSON value.
enum MeshCostJSON: Equatable, Sendable {
    case object([String: MeshCostJSON])
    case array([MeshCostJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Why a text is not the JSON a reader expected.
    struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong, with the byte offset where it was found.
        var description: String
    }

    /// The deepest nesting accepted: a demo report nests three levels; this only stops a hostile input's recursion.
    static let maximumDepth = 32

    /// Parses `text`, which must hold exactly one JSON value (surrounding whitespace allowed).
    static func parse(_ text: String) throws -> MeshCostJSON {
        var reader = Reader(bytes: Array(text.utf8))
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else { throw reader.error("text after the JSON value") }
        return value
    }

    /// The member `key` of an object, or nil.
    subscript(key: String) -> MeshCostJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The number, or nil for any other kind of value.
    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number when it is a whole number that fits in `Int`, or nil.
    var integer: Int? { number.flatMap { Int(exactly: $0) } }

    /// The elements of an array, or nil.
    var array: [MeshCostJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string, or nil.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A cursor over the UTF-8 bytes of the text.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        func error(_ what: String) -> ParseError { ParseError(description: "not valid JSON at byte \(index): \(what)") }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws -> MeshCostJSON {
            guard depth < MeshCostJSON.maximumDepth else { throw error("nested deeper than \(MeshCostJSON.maximumDepth) levels") }
            skipWhitespace()
            guard index < bytes.count else { throw error("the text ends where a value should start") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func object(depth: Int) throws -> MeshCostJSON {
            index += 1
            var members: [String: MeshCostJSON] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                let key = try string()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
                index += 1
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw error("the text ends inside an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw error("expected ',' or '}' in an object")
            }
        }

        mutating func array(depth: Int) throws -> MeshCostJSON {
            index += 1
            var elements: [MeshCostJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            while true {
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw error("the text ends inside an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw error("expected ',' or ']' in an array")
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
                throw error("expected \(word)")
            }
            index += expected.count
        }

        /// A string; escapes are decoded, and `\u` surrogate pairs joined.
        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() throws {
                guard !run.isEmpty else { return }
                guard let text = String(validating: run, as: UTF8.self) else { throw error("a string that is not UTF-8") }
                scalars.append(contentsOf: text.unicodeScalars)
                run.removeAll()
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try flush()
                    index += 1
                    return String(scalars)
                }
                guard byte >= 0x20 else { throw error("a control character inside a string") }
                guard byte == UInt8(ascii: "\\") else { run.append(byte); index += 1; continue }
                try flush()
                guard index + 1 < bytes.count else { break }
                let escape = bytes[index + 1]
                index += 2
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("a broken surrogate pair") }
                        code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("a lone surrogate") }
                    scalars.append(scalar)
                default: throw error("an unknown escape")
                }
            }
            throw error("the text ends inside a string")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("a cut \\u escape") }
            var code: UInt32 = 0
            for byte in bytes[index..<(index + 4)] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw error("a \\u escape with a non-hex digit")
                }
                code = code << 4 | UInt32(digit)
            }
            index += 4
            return code
        }

        /// A number in RFC 8259 §6 syntax, converted by the standard library's `Double(_:)`.
        mutating func number() throws -> Double {
            let start = index
            func digits() -> Int {
                let first = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - first
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { index = start; throw error("expected a value") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw error("a number with no digit after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw error("a number with no digit in its exponent") }
            }
            guard let text = String(validating: bytes[start..<index], as: UTF8.self), let value = Double(text), value.isFinite else {
                throw error("a number too large for a Double")
            }
            return value
        }
    }
}

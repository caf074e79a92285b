// Rendering values the way a failure message shows them: hex bytes, addresses, thrown errors.
import ExerciseInterfaces

/// Formatting shared by every check's failure messages.
enum Describe {
    /// "00 01 a1 47"; "(empty)" for no bytes.
    static func hex(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "(empty)" }
        return bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }

    /// "0x2112a442"-style hex for a fixed-width number.
    static func hex<T: FixedWidthInteger>(_ value: T) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, T.bitWidth / 4 - digits.count)) + digits
    }

    /// The bytes of `bytes` in `range`, or the note that the output is too short to have them.
    static func slice(_ bytes: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        bytes.count >= range.upperBound ? Array(bytes[range]) : nil
    }

    /// What a thrown error means, in the student's terms.
    static func thrown(_ error: any Error) -> String {
        switch error {
        case ExerciseError.notImplemented:
            return "threw ExerciseError.notImplemented (the starter's placeholder: this function is not written yet)"
        case ExerciseError.invalidInput(let why):
            return "threw ExerciseError.invalidInput(\"\(why)\")"
        default:
            return "threw \(String(reflecting: error))"
        }
    }

    /// "IPv4 192.0.2.1 port 32853"; falls back to raw fields when family and length disagree.
    static func address(_ decoded: DecodedAddress) -> String {
        switch (decoded.family, decoded.address.count) {
        case (0x01, 4):
            return "IPv4 " + decoded.address.map(String.init).joined(separator: ".") + " port \(decoded.port)"
        case (0x02, 16):
            return "IPv6 " + ipv6(decoded.address) + " port \(decoded.port)"
        default:
            return "family \(hex(decoded.family)), port \(decoded.port), address bytes [\(hex(decoded.address))]"
        }
    }

    /// RFC 5952 text form: lower-case hex, leading zeros dropped, the longest run of two or
    /// more zero groups shown as "::".
    static func ipv6(_ bytes: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best: Range<Int>? = nil
        var start: Int? = nil
        for index in 0...groups.count {
            if index < groups.count, groups[index] == 0 {
                if start == nil { start = index }
            } else if let runStart = start {
                if index - runStart >= 2, index - runStart > (best?.count ?? 0) { best = runStart..<index }
                start = nil
            }
        }
        let text = groups.map { String($0, radix: 16) }
        guard let zeros = best else { return text.joined(separator: ":") }
        return text[..<zeros.lowerBound].joined(separator: ":") + "::" + text[zeros.upperBound...].joined(separator: ":")
    }
}

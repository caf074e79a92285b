// The stored output of each broken connection of exercise 13, and how a quote is matched
// against it. The outputs themselves are generated (DebugCaseTranscripts.swift).
import ExerciseInterfaces

/// What one broken connection printed when the lab's tools ran it.
public struct DebugCaseTranscript: Sendable {
    /// The case.
    public let debugCase: DebugCase
    /// The exit status of the script (the failing tool's).
    public let exitStatus: Int32
    /// True when the output is the same on every run (virtual time, fixed seed): then the
    /// whole of it must stay equal, not only the lines that carry evidence.
    public let deterministic: Bool
    /// The bash script that produces it, run from the repository root with the tools on
    /// `PATH` and a scratch directory in `$LAB_TMP` (lesson 10 runs exactly this).
    public let script: String
    /// stdout and stderr of the script, in order.
    public let output: String

    /// The transcript of `debugCase`.
    public static func of(_ debugCase: DebugCase) -> DebugCaseTranscript {
        // `all` is generated in DebugCase.allCases order; a lookup keeps that an assumption nobody relies on.
        all.first { $0.debugCase == debugCase } ?? DebugCaseTranscript(
            debugCase: debugCase, exitStatus: 0, deterministic: true, script: "", output: "")
    }

    /// The lines of the output, normalised (see `DebugEvidence.normalise`).
    public var normalisedLines: [String] {
        output.split(separator: "\n", omittingEmptySubsequences: true).map { DebugEvidence.normalise(String($0)) }
    }

    /// True when `quote` (normalised) is part of one line of the output (normalised).
    public func contains(quote: String) -> Bool {
        let wanted = DebugEvidence.normalise(quote)
        guard !wanted.isEmpty else { return false }
        return normalisedLines.contains { $0.contains(wanted) }
    }
}

/// What changes from run to run in the tools' output, removed before comparing.
public enum DebugEvidence {
    /// `text` with every certificate fingerprint (eight or more hex pairs joined by colons)
    /// replaced by "<fingerprint>", every run of digits by "#" (ports, times, sizes, dates)
    /// and every run of spaces or tabs by one space, trimmed.
    public static func normalise(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        var index = 0
        var pendingSpace = false
        func emit(_ piece: String) {
            if pendingSpace, !out.isEmpty { out += " " }
            pendingSpace = false
            out += piece
        }
        while index < characters.count {
            let character = characters[index]
            if let end = fingerprintEnd(characters, from: index) {
                emit("<fingerprint>")
                index = end
            } else if character == " " || character == "\t" || character == "\r" || character == "\n" {
                pendingSpace = true
                index += 1
            } else if character.isASCII, character.isNumber {
                while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                emit("#")
            } else {
                emit(String(character))
                index += 1
            }
        }
        return out
    }

    /// The end of a fingerprint ("AB:CD:..." with at least eight pairs) starting at `start`, if one does.
    private static func fingerprintEnd(_ characters: [Character], from start: Int) -> Int? {
        func hexPair(at position: Int) -> Bool {
            position + 1 < characters.count && characters[position].isHexDigit && characters[position + 1].isHexDigit
        }
        // Only at a word start, so "0A:..." inside a longer token is not cut in half.
        if start > 0, characters[start - 1].isHexDigit || characters[start - 1] == ":" { return nil }
        var position = start
        var pairs = 0
        while hexPair(at: position) {
            pairs += 1
            position += 2
            guard position < characters.count, characters[position] == ":", hexPair(at: position + 1) else { break }
            position += 1
        }
        guard pairs >= 8, position >= characters.count || !characters[position].isHexDigit else { return nil }
        return position
    }
}

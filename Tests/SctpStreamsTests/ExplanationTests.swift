@testable import sctp_streams
import Testing

/// Every non-empty subset of the four modes, as --modes would list them.
private let modeSubsets: [[DeliveryMode]] = (1..<16).map { mask in
    DeliveryMode.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
}

/// The explanation's sentences, without the header, joined into one text.
private func explanationText(_ report: RunReport) -> String {
    Explanation.lines(report).dropFirst(2).map { $0.trimmingCharacters(in: " ") }.joined(separator: " ")
}

/// Words of `text` without the punctuation around them.
private func words(_ text: String) -> [String] {
    text.split(separator: " ").map { String($0).trimmingCharacters(in: ",") }
        .map { $0.filter { !".;:()".contains($0) } }
}

@Suite("sctp-streams: the closing explanation says only what this run's numbers show")
struct ExplanationTests {
    @Test("for every subset of modes the text names exactly those modes, in whole sentences",
          arguments: modeSubsets.flatMap { subset in [(subset, 2), (subset, 0)] })
    func subsets(modes: [DeliveryMode], unreliableLost: Int) throws {
        let report = try Fixture.report(modes, unreliableLost: unreliableLost)
        let lines = Explanation.lines(report)
        #expect(lines.count >= 3 && lines[1].hasPrefix("What you see"), "\(lines)")
        let text = explanationText(report)
        let present = Set(words(text))
        for mode in DeliveryMode.allCases {
            #expect(present.contains(mode.rawValue) == modes.contains(mode), "\(modes): \(text)")
        }
        #expect(text.hasSuffix("."), "\(text)")
        let sentences = text.dropLast().components(separatedBy: ". ")
        for sentence in sentences {
            #expect(sentence.first?.isUppercase == true, "\(modes): sentence \"\(sentence)\" in \(text)")
            #expect(!sentence.contains("  ") && !sentence.contains(" ."), "\(sentence)")
        }
        // A heading is followed by what it announces, never by the next sentence.
        for heading in ["Head-of-line blocking:", "No head-of-line blocking:"] {
            guard let range = text.range(of: heading) else { continue }
            let next = words(String(text[range.upperBound...])).first ?? ""
            #expect(modes.map(\.rawValue).contains(next), "\(heading) followed by \"\(next)\": \(text)")
        }
        #expect(text.contains("Head-of-line blocking:") == modes.contains { $0.isOrdered }, "\(text)")
        #expect(text.contains("Reliable mode") == modes.contains { $0.isReliable }, "\(text)")
        #expect(text.contains("Partially reliable") == modes.contains { !$0.isReliable }, "\(text)")
        if modes.contains(where: { !$0.isReliable }) {
            #expect(text.contains(unreliableLost > 0 ? "lost \(unreliableLost) of 10" : "lost nothing this run"), "\(text)")
        }
    }

    @Test("with all four modes the late counts read as one sentence (the lesson's first run relies on it)")
    func allFour() throws {
        let lines = Explanation.lines(try Fixture.report(DeliveryMode.allCases))
        #expect(lines[2].hasPrefix("  Head-of-line blocking: reliable-ordered had 3 late messages, reliable-unordered 0, unreliable-ordered 3"),
                "\(lines)")
        #expect(lines.contains("  An ordered stream holds every message behind a lost one until the gap is filled (by a retransmission, or a"))
    }

    @Test("--loss 0 with a lost message: no claim that every mode delivered everything")
    func noFalseNoLossClaim() throws {
        // Kernel buffer drops can lose unreliable messages without --loss.
        var report = try Fixture.report(DeliveryMode.allCases, loss: "0", unreliableLost: 2, dropped: 0)
        report.datagrams.droppedByReceiveBuffer = 4
        let text = explanationText(report)
        #expect(!text.contains("Nothing was lost"), "\(text)")
        #expect(!text.contains("every mode delivered"), "\(text)")
        #expect(text.contains("unreliable-ordered lost 2 of 10 and unreliable-unordered 2 of 10"), "\(text)")
    }

    @Test("nothing dropped and every message delivered in order: the no-loss line, whatever --loss said")
    func noLossLine() throws {
        for loss in ["0", "0.03"] {
            let text = explanationText(try Fixture.report(DeliveryMode.allCases, loss: loss, unreliableLost: 0, lateOrdered: 0, dropped: 0))
            #expect(text.hasPrefix("Nothing was lost: every mode delivered every message, in order and none late"), "\(text)")
        }
        let one = explanationText(try Fixture.report([.unreliableOrdered], loss: "0", unreliableLost: 0, lateOrdered: 0, dropped: 0))
        #expect(one.hasPrefix("Nothing was lost: unreliable-ordered delivered every message"), "\(one)")
    }

    @Test("a reliable mode that lost a message is called a broken promise, not 'delivered every message'")
    func brokenReliable() throws {
        var report = try Fixture.report([.reliableOrdered, .reliableUnordered])
        report.modes[1] = Fixture.statistics(.reliableUnordered, modeIndex: 1, sent: 10, delivered: 9)
        let text = explanationText(report)
        #expect(text.contains("Reliable modes: reliable-unordered delivered only 9 of 10, a broken promise."), "\(text)")
        #expect(!text.contains("delivered every message"), "\(text)")
    }

    @Test("a run that sent nothing has no explanation")
    func nothingSent() throws {
        var report = try Fixture.report(DeliveryMode.allCases)
        report.modes = DeliveryMode.allCases.map { ModeStatistics(mode: $0, streams: 1) }
        #expect(Explanation.lines(report).isEmpty)
    }
}

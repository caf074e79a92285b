import Foundation
import ICE

/// Renders a `SessionRecord` for a reader (the default) or as one JSON object (--json).
enum SessionReport {
    static func human(_ record: SessionRecord) -> String {
        var lines = ["ice-check: \(record.headline)"]
        for (name, value) in record.settings { lines.append("  \(name.padded(to: 8)) \(value)") }
        for side in record.sides {
            lines.append("  \(side.name.padded(to: 6)) \(side.role.description.padded(to: 12)) ufrag \(side.ufrag)   "
                         + "bases \(side.bases.map(\.description).joined(separator: ", "))")
        }

        lines += ["", "Candidates gathered (priority = 2^24×type preference + 2^8×local preference + (256−component), RFC 8445 §5.1.2.1)"]
        for side in record.sides {
            for candidate in side.candidates {
                var text = "  \(side.name.padded(to: 6)) \(candidate.type.description.padded(to: 6)) "
                    + "\(candidate.address.description.padded(to: 22)) \(SessionRecord.formula(candidate.priority))"
                if candidate.base != candidate.address { text += "   (base \(candidate.base))" }
                lines.append(text)
            }
        }

        for side in record.sides {
            lines += ["", "Checklist of \(side.name) (\(side.role); pair priority = 2^32×MIN(G,D) + 2×MAX(G,D) + (G>D?1:0), §6.1.2.3)"]
            lines += side.initialChecklist.isEmpty ? ["  (no pairs)"] : side.initialChecklist.map { "  " + row($0) }
        }

        lines += ["", "Timeline (ms since start)"]
        for event in record.timeline {
            lines.append("  \(milliseconds(event.milliseconds).leftPadded(to: 10))  \(event.agent.padded(to: 6)) \(event.text)")
        }

        if let ladder = record.ladder {
            lines += ["", "Ladder (every datagram on the simulated network; times in virtual ms)"]
            lines += ladder.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        }

        for side in record.sides {
            lines += ["", "Final checklist of \(side.name) (now \(side.finalRole))"]
            lines += side.finalChecklist.isEmpty ? ["  (no pairs)"] : side.finalChecklist.map { "  " + row($0) }
        }

        if !record.serverFindings.isEmpty {
            lines += ["", "Servers"]
            lines += record.serverFindings.map { "  \($0.server.padded(to: 24)) \($0.text)" }
        }

        lines += ["", "Selected pair"]
        for side in record.sides {
            lines.append("  \(side.name.padded(to: 6)) " + (side.selected.map { pair in
                "#\(pair.id) \(pair.local.type) \(pair.local.address)" + (pair.local.base != pair.local.address ? " (base \(pair.local.base))" : "")
                    + " -> \(pair.remote.type) \(pair.remote.address), priority \(pair.priority)"
            } ?? "none (state \(side.state))"))
        }
        if let exercise = record.exercise { lines += exerciseLines(exercise) }
        if let checklist = record.checklistExercise { lines += checklist.lines }
        if !record.skippedExercises.isEmpty {
            lines += ["", "Not used by --use-exercise (still the starter): " + record.skippedExercises.joined(separator: ", ")]
        }
        lines.append("")
        if let total = record.totalMilliseconds {
            lines.append("Outcome: \(record.outcome); both agents completed in \(milliseconds(total)) ms")
        } else {
            lines.append("Outcome: \(record.outcome)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ record: SessionRecord) throws -> String {
        var object: [String: Any] = [
            "mode": record.mode,
            "connected": record.connected,
            "outcome": record.outcome,
            "total_ms": record.totalMilliseconds.map { $0 as Any } ?? NSNull(),
            "selected_pair": record.sides.first?.selected.map(pairObject) ?? NSNull(),
            "agents": record.sides.map(sideObject),
            "events": record.timeline.map { event in
                ["ms": event.milliseconds, "agent": event.agent, "kind": event.kind, "text": event.text] as [String: Any]
            },
        ]
        if !record.settings.isEmpty {
            object["settings"] = Dictionary(record.settings, uniquingKeysWith: { first, _ in first })
        }
        if let ladder = record.ladder { object["ladder"] = ladder }
        if !record.serverFindings.isEmpty {
            object["servers"] = record.serverFindings.map { finding -> [String: Any] in
                ["server": finding.server, "ok": finding.problem == nil, "text": finding.text]
            }
        }
        if let exercise = record.exercise {
            object["exercise"] = [
                "all_match": exercise.allMatch,
                "matches": exercise.matchCount,
                "compared": exercise.comparisons.count,
                "values": exercise.comparisons.map { comparison -> [String: Any] in
                    ["subject": comparison.subject, "inputs": comparison.inputs, "library": comparison.library,
                     "yours": comparison.student.map { $0 as Any } ?? NSNull(), "error": comparison.error ?? NSNull(),
                     "match": comparison.matches]
                },
            ] as [String: Any]
        }
        if let checklist = record.checklistExercise { object["checklist_exercise"] = checklist.object }
        if !record.skippedExercises.isEmpty { object["exercises_not_implemented"] = record.skippedExercises }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw IceCheckFailure(.localFailure, "cannot encode the JSON report: \(error)")
        }
    }

    // MARK: - Pieces

    private static func row(_ pair: ICECandidatePair) -> String {
        "#\(String(pair.id).padded(to: 3)) \(pair.local.base.description.padded(to: 22)) -> "
            + "\(pair.remote.address.description.padded(to: 22)) \("\(pair.local.type)/\(pair.remote.type)".padded(to: 12)) "
            + "priority \(String(pair.priority).padded(to: 20)) \(pair.state)" + (pair.isNominated ? " nominated" : "")
    }

    private static func exerciseLines(_ exercise: PriorityExerciseReport) -> [String] {
        var lines = ["", "Your priority code (exercises/03-candidate-priority) against the library the agent used:"]
        for comparison in exercise.comparisons {
            let verdict: String
            if let error = comparison.error {
                verdict = "MISMATCH: yours \(error), library \(comparison.library)"
            } else if comparison.matches {
                verdict = "match \(comparison.library)"
            } else {
                verdict = "MISMATCH: yours \(comparison.student.map(String.init) ?? "-"), library \(comparison.library)"
            }
            lines.append("  \(comparison.subject.padded(to: 34)) \(comparison.inputs.padded(to: 48)) \(verdict)")
        }
        lines.append("  \(exercise.matchCount) of \(exercise.comparisons.count) values match")
        return lines
    }

    private static func candidateObject(_ candidate: ICECandidate) -> [String: Any] {
        var object: [String: Any] = [
            "type": candidate.type.rawValue, "address": candidate.address.description, "base": candidate.base.description,
            "priority": candidate.priority, "foundation": candidate.foundation, "component": candidate.componentID,
            "type_preference": ICECandidatePriority.typePreference(of: candidate.priority),
            "local_preference": candidate.localPreference, "formula": SessionRecord.formula(candidate.priority),
        ]
        if let related = candidate.relatedAddress { object["related_address"] = related.description }
        return object
    }

    private static func pairObject(_ pair: ICECandidatePair) -> [String: Any] {
        ["id": pair.id, "local": pair.local.base.description, "remote": pair.remote.address.description,
         "local_type": pair.local.type.rawValue, "remote_type": pair.remote.type.rawValue,
         "priority": pair.priority, "state": pair.state.description, "nominated": pair.isNominated]
    }

    private static func sideObject(_ side: SessionSide) -> [String: Any] {
        ["name": side.name, "role": side.role.rawValue, "final_role": side.finalRole.rawValue, "ufrag": side.ufrag,
         "bases": side.bases.map(\.description), "state": side.state.rawValue,
         "candidates": side.candidates.map(candidateObject),
         "checklist": side.initialChecklist.map(pairObject), "final_checklist": side.finalChecklist.map(pairObject),
         "selected_pair": side.selected.map(pairObject) ?? NSNull()]
    }

    private static func milliseconds(_ value: Double) -> String { String(format: "%.3f", value) }
}

extension String {
    /// Pads on the right with spaces to `width` (longer strings are kept whole).
    func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    /// Pads on the left with spaces to `width`.
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

import ExerciseHooks
import ICE

/// --use-exercise, exercise 10: what each agent's student checklist did, and the verdict.
struct ChecklistExerciseReport {
    /// One agent's findings, named "left" or "right".
    var sides: [(name: String, findings: ChecklistExerciseFindings)]

    /// Reads the findings out of the agents' strategies after a run.
    init(agents: [(name: String, agent: ICEAgent)]) {
        sides = agents.compactMap { name, agent in
            (agent.checklistStrategy as? any ChecklistExerciseReporting).map { (name, $0.findings) }
        }
    }

    /// The first side whose code is not written yet.
    var notImplemented: String? {
        sides.first { $0.findings.notImplemented }.map { "\($0.name): \($0.findings.problem ?? "not implemented")" }
    }

    /// Everything that went wrong, one line per problem.
    var problems: [String] {
        sides.flatMap { side -> [String] in
            var lines = side.findings.mismatches.map { "\(side.name): \($0)" }
            if let problem = side.findings.problem { lines.append("\(side.name): \(problem)") }
            if !side.findings.formed { lines.append("\(side.name): the candidate lists never became final, nothing was formed") }
            return lines
        }
    }

    /// The human report's section.
    var lines: [String] {
        var lines = ["", "Your checklist (exercises/10-ice-checklist) chose every ordinary check of both agents:"]
        for (name, findings) in sides {
            lines.append("  \(name): formed \(findings.studentRows.count) pairs"
                         + (findings.studentRows == findings.libraryRows ? " (the same as RFC 8445 §6.1.2, in order)" : "")
                         + "; \(findings.checks.count) ordinary check\(findings.checks.count == 1 ? "" : "s") chosen"
                         + (findings.settledByTriggeredChecks > 0
                            ? ", \(findings.settledByTriggeredChecks) already settled by a triggered check when picked" : ""))
            if findings.studentRows != findings.libraryRows {
                lines.append("    yours:")
                lines += findings.studentRows.map { "      " + $0 }
                lines.append("    RFC 8445 §6.1.2 (the library):")
                lines += findings.libraryRows.map { "      " + $0 }
            }
            lines += findings.checks.enumerated().map { "    check \(String($0.offset + 1).leftPadded(to: 2)): \($0.element)" }
        }
        let problems = self.problems
        lines.append(problems.isEmpty ? "  no disagreement with the RFC's rules" : "  PROBLEMS:")
        lines += problems.map { "    " + $0 }
        return lines
    }

    /// The JSON report's object.
    var object: [String: Any] {
        [
            "agrees": problems.isEmpty,
            "problems": problems,
            "agents": sides.map { name, findings -> [String: Any] in
                ["name": name, "formed": findings.studentRows, "library_formed": findings.libraryRows,
                 "checks": findings.checks, "settled_by_triggered_checks": findings.settledByTriggeredChecks]
            },
        ]
    }
}

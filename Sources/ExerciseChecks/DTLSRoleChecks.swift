// Checks of exercise 05, part 3: dtlsRole over the whole table of a=setup pairs.
//
//                     remote: active   passive   actpass   holdconn
//   local: active             nil      client    client    nil
//          passive            server   nil       server    nil
//          actpass            server   client    nil       nil
//          holdconn           nil      nil       nil       nil
import ExerciseInterfaces

enum DTLSRoleChecks {
    typealias Checks = DTLSFingerprintChecks

    static func checks<Exercise: DTLSFingerprintExercise>(_: Exercise.Type) -> [ExerciseCheck] {
        let values = ["active", "passive", "actpass"]
        let holdconnPairs = values.flatMap { [("holdconn", $0), ($0, "holdconn")] } + [("holdconn", "holdconn")]
        return [
            roles(Exercise.self, Checks.offerer, [("actpass", "active", "server"), ("actpass", "passive", "client")]),
            roles(Exercise.self, Checks.answerer, [("active", "actpass", "client"), ("passive", "actpass", "server")]),
            roles(Exercise.self, Checks.fixed, [("active", "passive", "client"), ("passive", "active", "server")]),
            roles(Exercise.self, Checks.conflicts, [("active", "active", nil), ("passive", "passive", nil), ("actpass", "actpass", nil)]),
            roles(Exercise.self, Checks.holdconn, holdconnPairs.map { ($0.0, $0.1, nil) }),
            roles(Exercise.self, Checks.unknownRole, [
                ("client", "passive", nil), ("active", "server", nil), ("act-pass", "active", nil),
                ("actpass", "", nil), ("", "actpass", nil), ("passive", "connect", nil),
            ]),
        ]
    }

    /// A check that every (local, remote) pair gives its role.
    static func roles<Exercise: DTLSFingerprintExercise>(
        _: Exercise.Type, _ descriptor: CheckDescriptor, _ cases: [(String, String, String?)]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for (local, remote, expected) in cases {
                let input = "\(Exercise.self).dtlsRole(localSetup: \(Checks.quoted(local)), remoteSetup: \(Checks.quoted(remote)))"
                do {
                    let answer = try Exercise.dtlsRole(localSetup: local, remoteSetup: remote)
                    if answer != expected {
                        var actual = Checks.quoted(answer)
                        if let answer, let expected, answer != expected, answer.lowercased() == expected {
                            actual += " (the role names are lower case: \"client\" and \"server\")"
                        }
                        return .fail(CheckFailure(input: input, expected: Checks.quoted(expected), actual: actual, rule: descriptor.rule))
                    }
                } catch {
                    return .fail(CheckFailure(input: input, expected: Checks.quoted(expected), actual: Describe.thrown(error),
                                              rule: descriptor.rule))
                }
            }
            return .pass
        }
    }
}

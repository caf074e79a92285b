import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Foundation
import Solutions
import Testing

/// The checks bound to the reference answers and to the untouched starters.
private var referenceChecks: [ExerciseCheck] {
    CheckSuite.checks(
        protocolStack: Solutions.ProtocolStack.self, stunCoding: Solutions.STUNCoding.self,
        candidatePriority: Solutions.CandidatePriority.self, sdpReading: Solutions.SDPOfferReading.self,
        dtlsFingerprint: Solutions.DTLSFingerprint.self, deliveryModes: Solutions.DeliveryModes.self, dcepOpen: Solutions.DCEPOpen.self,
        meshCost: Solutions.MeshCost.self,
            stunTransaction: Solutions.StunTransaction.self, iceChecklist: Solutions.IceChecklist.self,
            dcepChannel: Solutions.DCEPChannel.self, streamReceive: Solutions.StreamReceive.self, debugByLayer: Solutions.DebugByLayer.self)
}
private var starterChecks: [ExerciseCheck] {
    CheckSuite.checks(
        protocolStack: Exercises.ProtocolStack.self, stunCoding: Exercises.STUNCoding.self,
        candidatePriority: Exercises.CandidatePriority.self, sdpReading: Exercises.SDPOfferReading.self,
        dtlsFingerprint: Exercises.DTLSFingerprint.self, deliveryModes: Exercises.DeliveryModes.self, dcepOpen: Exercises.DCEPOpen.self,
        meshCost: Exercises.MeshCost.self,
            stunTransaction: Exercises.StunTransaction.self, iceChecklist: Exercises.IceChecklist.self,
            dcepChannel: Exercises.DCEPChannel.self, streamReceive: Exercises.StreamReceive.self, debugByLayer: Exercises.DebugByLayer.self)
}

@Suite("Exercise checks")
struct ExerciseCheckTests {
    @Test("every check passes on the reference solutions", arguments: CheckSuite.catalog.map(\.id))
    func referencePasses(id: String) throws {
        let check = try #require(referenceChecks.first { $0.descriptor.id == id })
        let outcome = check.run()
        if case .fail(let failure) = outcome {
            Issue.record("\(id) failed on Solutions: input \(failure.input), expected \(failure.expected), actual \(failure.actual)")
        }
    }

    @Test("every exercise has a check that fails on the untouched starter", arguments: ExerciseCatalog.all.map(\.id))
    func starterFails(exerciseID: String) {
        let outcomes = starterChecks.filter { $0.descriptor.exerciseID == exerciseID }.map { $0.run() }
        #expect(!outcomes.isEmpty)
        #expect(outcomes.contains { !$0.passed }, "no check of \(exerciseID) fails on the starter: some check passes vacuously")
    }

    @Test("the starter earns no point at all, and says why")
    func starterScoresZero() {
        for check in starterChecks {
            guard case .fail(let failure) = check.run() else {
                Issue.record("\(check.descriptor.id) passes on the untouched starter")
                continue
            }
            #expect(failure.actual.contains("notImplemented"), "\(check.descriptor.id): \(failure.actual)")
        }
    }

    @Test("the static catalog describes exactly the checks bound to an implementation")
    func catalogMatchesChecks() {
        #expect(referenceChecks.map(\.descriptor) == CheckSuite.catalog)
        #expect(starterChecks.map(\.descriptor) == CheckSuite.catalog)
    }

    @Test("check ids are unique, points positive, and every check belongs to a known exercise")
    func catalogIsWellFormed() {
        let ids = CheckSuite.catalog.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(CheckSuite.catalog.allSatisfy { $0.points > 0 && !$0.title.isEmpty && $0.rule.contains("RFC") })
        let known = Set(ExerciseCatalog.all.map(\.id))
        #expect(CheckSuite.catalog.allSatisfy { known.contains($0.exerciseID) && $0.id.hasPrefix(String($0.exerciseID.prefix(2)) + ".") })
        #expect(ExerciseCatalog.all.map(\.totalPoints) == [11, 17, 15, 10, 24, 23, 23, 24, 24, 21, 20, 39, 21])
    }

    @Test("short exercise ids resolve to folder names")
    func exerciseLookup() {
        #expect(ExerciseCatalog.find("02")?.id == "02-stun-coding")
        #expect(ExerciseCatalog.find("1")?.id == "01-protocol-stack")
        #expect(ExerciseCatalog.find("02-stun-coding")?.number == "02")
        #expect(ExerciseCatalog.find("4")?.id == "04-read-sdp-offer")
        #expect(ExerciseCatalog.find("05")?.id == "05-dtls-fingerprint")
        #expect(ExerciseCatalog.find("6")?.id == "06-delivery-modes")
        #expect(ExerciseCatalog.find("07")?.id == "07-dcep-open")
        #expect(ExerciseCatalog.find("08")?.id == "08-mesh-cost")
        #expect(ExerciseCatalog.find("09")?.id == "09-stun-transaction")
        #expect(ExerciseCatalog.find("12")?.id == "12-stream-receive")
        #expect(ExerciseCatalog.find("99") == nil)
        #expect(ExerciseCatalog.find("stun") == nil)
    }

    @Test("the starters and solutions declare the same public surface")
    func sameSurface() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for exercise in ExerciseCatalog.all {
            let starterFolder = root.appendingPathComponent("exercises/" + exercise.id).path
            let solutionFolder = root.appendingPathComponent("solutions/" + exercise.id).path
            let starterFiles = try FileManager.default.contentsOfDirectory(atPath: starterFolder).sorted()
            // The solution folder holds the same files, plus the instructors' rubric for the written answers.
            let solutionFiles = try FileManager.default.contentsOfDirectory(atPath: solutionFolder).sorted()
            #expect(starterFiles == solutionFiles.filter { $0 != "RUBRIC.md" }, "\(exercise.id)")
            #expect(starterFiles.contains("ANSWERS.md") == solutionFiles.contains("RUBRIC.md"), "\(exercise.id): ANSWERS.md without RUBRIC.md")
            for file in starterFiles where file.hasSuffix(".swift") {
                let starter = try String(contentsOfFile: starterFolder + "/" + file, encoding: .utf8)
                let solution = try String(contentsOfFile: solutionFolder + "/" + file, encoding: .utf8)
                #expect(publicDeclarations(starter) == publicDeclarations(solution), "\(exercise.id)/\(file)")
                #expect(!publicDeclarations(starter).isEmpty)
            }
        }
    }

    /// The `public …` declarations of a file as a caller sees them, sorted: whitespace-normalized,
    /// without bodies or initial values, and without `private(set)` (a stored property in the solution
    /// and a computed one in the starter read the same from outside).
    private func publicDeclarations(_ source: String) -> [String] {
        source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("public ") }
            .map { line -> String in
                var words = line.split(separator: " ").map(String.init).filter { $0 != "private(set)" }
                if let cut = words.firstIndex(where: { $0 == "=" || $0.hasPrefix("{") }) { words = Array(words[..<cut]) }
                return words.joined(separator: " ")
            }
            .sorted()
    }
}

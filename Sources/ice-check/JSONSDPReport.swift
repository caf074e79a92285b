import Foundation
import SDP
import Wire

/// The `--json` report: ONE object with the same facts as the human report,
/// so `ice-check sdp offer.sdp --json | jq '.candidates[].priority_parts'` works.
enum JSONSDPReport {
    static func render(_ facts: SDPExplanation, showPassword: Bool) throws(IceCheckFailure) -> String {
        let problem = facts.dataChannelProblem
        let verdict = facts.udpBlockedVerdict
        var ice: [String: Any] = [
            "ufrag": facts.ufrag as Any? ?? NSNull(),
            "pwd_length": facts.pwd.map(\.count) as Any? ?? NSNull(),
            "pwd_shown": showPassword,
            "options": facts.iceOptions,
            "trickle": facts.iceOptions.contains("trickle"),
            "lite": facts.iceLite,
        ]
        if showPassword, let pwd = facts.pwd { ice["pwd"] = pwd }
        let setup: Any = facts.setup.map { role -> [String: Any] in
            ["role": role.rawValue, "dtls_role": facts.setupMeaning?.dtlsRole ?? "none", "meaning": facts.setupMeaning?.text ?? ""]
        } ?? NSNull()
        let object: [String: Any] = [
            "source": facts.source,
            "kind": facts.kindGuess.name,
            "kind_basis": facts.kindGuess.basis,
            "line_ending": facts.lineEnding,
            "line_count": facts.lineIndex.lines.count,
            "origin": facts.description.origin.map { "\($0)" } as Any? ?? NSNull(),
            "bundle": facts.description.bundle as Any? ?? NSNull(),
            "media": facts.sections.map(section),
            "ice": ice,
            "fingerprints": facts.fingerprints.map(fingerprint),
            "setup": setup,
            "priority_formula": "priority = 2^24*(type preference) + 2^8*(local preference) + (256 - component ID)",
            "candidates": facts.candidates.map(candidate),
            "udp_blocked": [
                "remaining": verdict.remaining.map(\.number),
                "remaining_if_turn_over_tcp_or_tls": verdict.depends.map(\.number),
                "fallback": "relay",
                "explanation": verdict.text,
            ] as [String: Any],
            "datachannel": [
                "usable": problem == nil,
                "section": facts.dataChannel?.sectionIndex as Any? ?? NSNull(),
                "error": problem.map { $0.reason } as Any? ?? NSNull(),
                "error_code": problem.map { $0.code.rawValue } as Any? ?? NSNull(),
            ] as [String: Any],
            "ok": problem == nil,
            "exit_code": Int(problem == nil ? IceCheckExit.success.rawValue : IceCheckExit.unusableForDataChannel.rawValue),
        ]
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else {
            throw IceCheckFailure(.localFailure, "could not encode the JSON report")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func section(_ section: SDPExplanation.Section) -> [String: Any] {
        [
            "index": section.index,
            "line": section.line?.number as Any? ?? NSNull(),
            "media": section.media.media,
            "port": Int(section.media.port),
            "proto": section.media.proto,
            "formats": section.media.formats,
            "mid": section.mid as Any? ?? NSNull(),
            "data_channel": section.carriesDataChannels,
            "legacy_sctpmap": section.legacySCTPMap,
            "sctp_port": section.sctpPort.map { Int($0) } as Any? ?? NSNull(),
            "max_message_size": section.maxMessageSize as Any? ?? NSNull(),
            "rejected": section.rejected,
            "bundle_only": section.bundleOnly,
            "in_bundle": section.inBundle,
            "candidate_count": section.candidateCount,
            "end_of_candidates": section.endOfCandidates,
        ]
    }

    private static func fingerprint(_ fingerprint: Fingerprint) -> [String: Any] {
        let check = SDPExplanation.lengthCheck(fingerprint)
        return [
            "algorithm": fingerprint.hashFunction.rawValue,
            "value": Hex.encode(fingerprint.bytes, separator: ":").uppercased(),
            "length": fingerprint.bytes.count,
            "expected_length": check.expected as Any? ?? NSNull(),
            "length_ok": check.ok as Any? ?? NSNull(),
        ]
    }

    private static func candidate(_ fact: CandidateFacts) -> [String: Any] {
        let candidate = fact.candidate
        func optional<T>(_ value: T?) -> Any { value.map { $0 as Any } ?? NSNull() }
        return [
            "number": fact.number,
            "line": optional(fact.line?.number),
            "section": fact.section,
            "foundation": candidate.foundation,
            "component": Int(candidate.component),
            "transport": candidate.transport.rawValue.lowercased(),
            "tcptype": optional(candidate.tcpType?.rawValue),
            "priority": Int(candidate.priority),
            "priority_parts": [
                "type_preference": Int(fact.typePreference),
                "local_preference": Int(fact.localPreference),
                "component": fact.componentFromPriority,
            ],
            "priority_formula": "\(fact.formula) = \(fact.candidate.priority)",
            "priority_consistent": fact.recomputed == fact.candidate.priority,
            "recommended_type_preference": optional(fact.recommendedTypePreference.map(Int.init)),
            "type": candidate.type.rawValue,
            "address": candidate.address,
            "address_kind": fact.addressKind.rawValue,
            "mdns": fact.addressKind == .mdns,
            "port": Int(candidate.port),
            "related_address": optional(candidate.relatedAddress),
            "related_port": optional(candidate.relatedPort.map(Int.init)),
            "relay_protocol": optional(fact.relayProtocol),
            "generation": optional(candidate.generation.map(Int.init)),
            "ufrag": optional(candidate.ufrag),
            "network_id": optional(candidate.networkID.map(Int.init)),
            "network_cost": optional(candidate.networkCost.map(Int.init)),
            "extensions": candidate.extensions.map { ["name": $0.name, "value": $0.value] },
            "udp_blocked": fact.udpBlocked.rawValue,
        ]
    }
}

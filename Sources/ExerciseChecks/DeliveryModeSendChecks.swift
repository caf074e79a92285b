// Checks of exercise 06, coding part: a channel's settings to the send parameters usrsctp
// takes (RFC 6458 §5.3.4 snd_flags, §5.3.7 sctp_prinfo), from the W3C RTCDataChannelInit
// fields and from a DCEP DATA_CHANNEL_OPEN (RFC 8832 §5.1). A coding exercise, so failures
// show the expected parameters, and name the classic mistakes: the unordered flag
// inverted, TTL and RTX swapped, a lifetime in seconds, and 0 read as "no limit".
//
// The policy numbers are usrsctp.h's: SCTP_PR_SCTP_NONE 0, SCTP_PR_SCTP_TTL 1,
// SCTP_PR_SCTP_BUF 2 (not used by WebRTC), SCTP_PR_SCTP_RTX 3.
import ExerciseInterfaces

enum DeliveryModeSendChecks {
    static let check = DeliveryModeChecks.check
    static let none: UInt16 = 0
    static let ttl: UInt16 = 1
    static let rtx: UInt16 = 3
    static let largest = Int(UInt32.max)

    static let reliableRule = "RFC 8831 §6.1: a reliable channel uses no PR-SCTP policy (SCTP_PR_SCTP_NONE, pr_value 0); "
        + "RFC 6458 §5.3.4: SCTP_UNORDERED in snd_flags sends a message unordered (the DATA chunk's U bit, RFC 9260 §3.3.1)"
    static let rtxRule = "RFC 7496 §3.1: the limited retransmission policy abandons a message after pr_value retransmissions; "
        + "usrsctp.h numbers it SCTP_PR_SCTP_RTX (3); ordering is separate: SCTP_UNORDERED (RFC 6458 §5.3.4)"
    static let ttlRule = "RFC 3758 and RFC 6458 §5.3.7: the timed reliability policy abandons a message pr_value milliseconds after "
        + "it was sent, the unit of maxPacketLifeTime; usrsctp.h numbers it SCTP_PR_SCTP_TTL (1)"
    static let zeroRule = "RFC 8831 §6.1: limiting the number of retransmissions to zero, combined with unordered delivery, gives a "
        + "UDP-like service where each message is sent exactly once; 0 is a limit (send once), only a missing limit means reliable"
    static let largeRule = "RFC 6458 §5.3.7: pr_value is a uint32_t, and RFC 8832 §5.1's Reliability Parameter is 32 bits: "
        + "every limit in 0...4294967295 is valid and is passed on unchanged"
    static let bothRule = "RFC 8831 §6.1: a partially reliable channel limits either the retransmissions (RFC 7496) or the "
        + "lifetime (RFC 3758), one policy per message in sctp_prinfo; W3C WebRTC createDataChannel throws a TypeError when "
        + "both maxRetransmits and maxPacketLifeTime are given"
    static let rangeRule = "RFC 6458 §5.3.7: pr_value is an unsigned 32-bit number, as is RFC 8832 §5.1's Reliability Parameter: "
        + "a negative limit, or one above 4294967295, cannot be sent"
    static let dcepRule = "RFC 8832 §5.1: Channel Type 0x00 RELIABLE, 0x80 RELIABLE_UNORDERED, 0x01 PARTIAL_RELIABLE_REXMIT, "
        + "0x81 its UNORDERED form, 0x02 PARTIAL_RELIABLE_TIMED, 0x82 its UNORDERED form (the high bit is 'unordered'); "
        + "the Reliability Parameter is the number of retransmissions (REXMIT) or the lifetime in milliseconds (TIMED)"
    static let ignoredRule = "RFC 8832 §5.1: for reliable channels the Reliability Parameter MUST be set to 0 by the sender "
        + "and MUST be ignored by the receiver"
    static let unknownTypeRule = "RFC 8832 §5.1 and §8.2.2: only 0x00, 0x01, 0x02, 0x80, 0x81 and 0x82 are channel types "
        + "(0x7F and 0xFF are reserved, the rest unassigned); a channel of another type cannot be opened with known semantics"

    static let reliableOrdered = check(
        "send.reliable-ordered", points: 1, title: "ordered, no limit: ordered, SCTP_PR_SCTP_NONE, value 0", rule: reliableRule)
    static let reliableUnordered = check(
        "send.reliable-unordered", points: 1, title: "unordered, no limit: SCTP_UNORDERED, SCTP_PR_SCTP_NONE, value 0",
        rule: reliableRule)
    static let maxRetransmits = check(
        "send.max-retransmits", points: 2, title: "maxRetransmits n: SCTP_PR_SCTP_RTX with value n, ordered or not", rule: rtxRule)
    static let maxLifetime = check(
        "send.max-lifetime", points: 2, title: "maxPacketLifeTime t ms: SCTP_PR_SCTP_TTL with value t, ordered or not",
        rule: ttlRule)
    static let zeroLimits = check(
        "send.zero-limits", points: 2, title: "maxRetransmits 0 and maxPacketLifeTime 0 are limits, not reliable channels",
        rule: zeroRule)
    static let largeLimits = check(
        "send.large-limits", points: 1, title: "limits up to 4294967295 pass unchanged, without overflow", rule: largeRule)
    static let bothLimits = check(
        "send.rejects-both-limits", points: 1, title: "throws ExerciseError.invalidInput when both limits are given",
        rule: bothRule)
    static let outOfRange = check(
        "send.rejects-out-of-range", points: 1, title: "throws ExerciseError.invalidInput for a negative limit or one above 2^32-1",
        rule: rangeRule)
    static let dcepReliable = check(
        "dcep.reliable", points: 1, title: "channel types 0x00 and 0x80: reliable, ordered and unordered", rule: dcepRule)
    static let dcepRexmit = check(
        "dcep.partial-rexmit", points: 1, title: "channel types 0x01 and 0x81: SCTP_PR_SCTP_RTX with the reliability parameter",
        rule: dcepRule)
    static let dcepTimed = check(
        "dcep.partial-timed", points: 1, title: "channel types 0x02 and 0x82: SCTP_PR_SCTP_TTL with the reliability parameter",
        rule: dcepRule)
    static let dcepIgnored = check(
        "dcep.reliable-ignores-parameter", points: 1, title: "a reliable channel's non-zero reliability parameter is ignored",
        rule: ignoredRule)
    static let dcepUnknown = check(
        "dcep.rejects-unknown-type", points: 1, title: "throws ExerciseError.invalidInput for a channel type RFC 8832 does not define",
        rule: unknownTypeRule)

    static let descriptors = [
        reliableOrdered, reliableUnordered, maxRetransmits, maxLifetime, zeroLimits, largeLimits, bothLimits, outOfRange,
        dcepReliable, dcepRexmit, dcepTimed, dcepIgnored, dcepUnknown,
    ]

    /// One call of the RTCDataChannelInit form: ordered, maxRetransmits, maxPacketLifeTime.
    typealias Settings = (ordered: Bool, retransmits: Int?, lifetime: Int?)

    static func checks<Exercise: DeliveryModeExercise>(_: Exercise.Type) -> [ExerciseCheck] {
        let bothGiven: [Settings] = [(true, 0, 0), (false, 3, 150), (true, largest, largest)]
        let outside: [Settings] = [(true, -1, nil), (false, nil, -1), (true, largest + 1, nil), (false, nil, largest + 1),
                                   (true, Int.min, nil), (true, nil, Int.max)]
        return [
            settings(Exercise.self, reliableOrdered, [(true, nil, nil)]),
            settings(Exercise.self, reliableUnordered, [(false, nil, nil)]),
            settings(Exercise.self, maxRetransmits, [(true, 1, nil), (false, 1, nil), (true, 5, nil), (false, 3, nil)]),
            settings(Exercise.self, maxLifetime, [(true, nil, 150), (false, nil, 150), (true, nil, 1000), (false, nil, 3000)]),
            settings(Exercise.self, zeroLimits, [(false, 0, nil), (true, 0, nil), (false, nil, 0), (true, nil, 0)]),
            settings(Exercise.self, largeLimits, [(true, 65535, nil), (false, nil, 65536), (false, largest, nil), (true, nil, largest)]),
            ExerciseCheck(bothLimits) { rejects(Exercise.self, bothLimits, bothGiven) },
            ExerciseCheck(outOfRange) { rejects(Exercise.self, outOfRange, outside) },
            channels(Exercise.self, dcepReliable, [(0x00, 0), (0x80, 0)]),
            channels(Exercise.self, dcepRexmit, [(0x01, 0), (0x81, 0), (0x01, 2), (0x81, 7), (0x01, UInt32.max)]),
            channels(Exercise.self, dcepTimed, [(0x02, 0), (0x82, 0), (0x02, 150), (0x82, 2500), (0x82, UInt32.max)]),
            channels(Exercise.self, dcepIgnored, [(0x00, 5), (0x80, UInt32.max)]),
            ExerciseCheck(dcepUnknown) {
                for type: UInt8 in [0x03, 0x83, 0x04, 0x40, 0x7F, 0xC0, 0xFF] {
                    let call = "\(Exercise.self).sendParameters(channelType: \(Describe.hex(type)), reliabilityParameter: 0)"
                    if let failure = Verdict.rejects(call, rule: unknownTypeRule, {
                        _ = try Exercise.sendParameters(channelType: type, reliabilityParameter: 0)
                    }) { return .fail(failure) }
                }
                return .pass
            },
        ]
    }

    /// The reference mapping, written out so each expectation reads like the rules above.
    static func expected(_ item: Settings) -> SCTPSendParameters {
        if let count = item.retransmits { return SCTPSendParameters(unordered: !item.ordered, prPolicy: rtx, prValue: UInt32(count)) }
        if let time = item.lifetime { return SCTPSendParameters(unordered: !item.ordered, prPolicy: ttl, prValue: UInt32(time)) }
        return SCTPSendParameters(unordered: !item.ordered, prPolicy: none, prValue: 0)
    }

    static func expected(channelType: UInt8, parameter: UInt32) -> SCTPSendParameters {
        let policy: UInt16 = [0: none, 1: rtx, 2: ttl][channelType & 0x7F] ?? none
        return SCTPSendParameters(unordered: channelType & 0x80 != 0, prPolicy: policy, prValue: policy == none ? 0 : parameter)
    }

    static func call(_ name: String, _ item: Settings) -> String {
        "\(name).sendParameters(ordered: \(item.ordered), maxRetransmits: \(item.retransmits.map(String.init) ?? "nil"), "
            + "maxPacketLifeTime: \(item.lifetime.map(String.init) ?? "nil"))"
    }

    /// A check that each RTCDataChannelInit form gives the expected parameters.
    static func settings<Exercise: DeliveryModeExercise>(
        _: Exercise.Type, _ descriptor: CheckDescriptor, _ cases: [Settings]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for item in cases {
                let want = expected(item)
                if let failure = Verdict.answers(call("\(Exercise.self)", item), expected: want, shown: render(want),
                                                 rule: descriptor.rule, render: render, note: { diagnosis($0, want) }, {
                    try Exercise.sendParameters(ordered: item.ordered, maxRetransmits: item.retransmits, maxPacketLifeTime: item.lifetime)
                }) { return .fail(failure) }
            }
            return .pass
        }
    }

    /// A check that each (channel type, reliability parameter) gives the expected parameters.
    static func channels<Exercise: DeliveryModeExercise>(
        _: Exercise.Type, _ descriptor: CheckDescriptor, _ cases: [(type: UInt8, parameter: UInt32)]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for item in cases {
                let want = expected(channelType: item.type, parameter: item.parameter)
                let call = "\(Exercise.self).sendParameters(channelType: \(Describe.hex(item.type)), "
                    + "reliabilityParameter: \(item.parameter))"
                if let failure = Verdict.answers(call, expected: want, shown: render(want), rule: descriptor.rule,
                                                 render: render, note: { diagnosis($0, want) }, {
                    try Exercise.sendParameters(channelType: item.type, reliabilityParameter: item.parameter)
                }) { return .fail(failure) }
            }
            return .pass
        }
    }

    /// The first case that does not throw `ExerciseError.invalidInput` fails the check.
    static func rejects<Exercise: DeliveryModeExercise>(
        _: Exercise.Type, _ descriptor: CheckDescriptor, _ cases: [Settings]
    ) -> CheckOutcome {
        for item in cases {
            if let failure = Verdict.rejects(call("\(Exercise.self)", item), rule: descriptor.rule, {
                _ = try Exercise.sendParameters(ordered: item.ordered, maxRetransmits: item.retransmits, maxPacketLifeTime: item.lifetime)
            }) { return .fail(failure) }
        }
        return .pass
    }

    /// "unordered: false, prPolicy: 3 (SCTP_PR_SCTP_RTX), prValue: 5".
    static func render(_ parameters: SCTPSendParameters) -> String {
        "unordered: \(parameters.unordered), prPolicy: \(parameters.prPolicy) (\(policyName(parameters.prPolicy))), "
            + "prValue: \(parameters.prValue)"
    }

    static func policyName(_ policy: UInt16) -> String {
        switch policy {
        case 0: "SCTP_PR_SCTP_NONE"
        case 1: "SCTP_PR_SCTP_TTL"
        case 2: "SCTP_PR_SCTP_BUF"
        case 3: "SCTP_PR_SCTP_RTX"
        default: "not a policy of usrsctp.h"
        }
    }

    /// " (why)": the classic mistake that turns `want` into `answer`, or "" when none fits.
    static func diagnosis(_ answer: SCTPSendParameters, _ want: SCTPSendParameters) -> String {
        if answer.unordered != want.unordered, answer.prPolicy == want.prPolicy, answer.prValue == want.prValue {
            return " (the unordered flag is inverted: SCTP_UNORDERED is set for unordered channels, ordered ones leave it clear)"
        }
        if answer.prPolicy == 2 {
            return " (2 is SCTP_PR_SCTP_BUF, a policy for the sender's buffer that WebRTC does not use)"
        }
        if Set([answer.prPolicy, want.prPolicy]) == [ttl, rtx] {
            return " (TTL and RTX are swapped: a number of retransmissions is SCTP_PR_SCTP_RTX, a lifetime SCTP_PR_SCTP_TTL)"
        }
        if want.prPolicy != none, answer.prPolicy == none {
            return want.prValue == 0
                ? " (0 is a limit, not \"no limit\": send once and never resend; only a missing limit means reliable)"
                : " (a limit was given, so the channel is partially reliable and needs a PR-SCTP policy)"
        }
        if want.prPolicy == none, answer.prPolicy != none {
            return " (no limit means a reliable channel: SCTP_PR_SCTP_NONE)"
        }
        if want.prPolicy == ttl, answer.prPolicy == ttl, answer.prValue != want.prValue, answer.prValue == want.prValue / 1000 {
            return " (pr_value is in milliseconds for SCTP_PR_SCTP_TTL, like maxPacketLifeTime: no conversion)"
        }
        if want.prPolicy == none, answer.prValue != 0 {
            return " (without a policy pr_value is 0: a reliable channel's parameter is ignored)"
        }
        return ""
    }
}

// Exercise 10's reference model and scenarios: what RFC 8445 §6.1.2, §6.1.4.2 and
// §7.2.5.3.3 make of each scripted input. The checks compare the student's checklist with
// this model step by step; the tests (Exercise10IceChecklistTests) pin the model itself to
// numbers worked out by hand.
import ExerciseInterfaces

/// The RFC's checklist rules, written out once for the checks.
struct IceChecklistReference {
    private(set) var pairs: [IceChecklistPair] = []

    /// §6.1.2.3 with G the controlling side's candidate priority (clamped to 2^31−1, §5.1.2).
    static func pairPriority(local: UInt32, remote: UInt32, controlling: Bool) -> UInt64 {
        let ours = UInt64(min(local, 0x7FFF_FFFF)), theirs = UInt64(min(remote, 0x7FFF_FFFF))
        let g = controlling ? ours : theirs, d = controlling ? theirs : ours
        return min(g, d) * 4_294_967_296 + 2 * max(g, d) + (g > d ? 1 : 0)
    }

    /// §6.1.2.2-§6.1.2.6; nil when a srflx local candidate has no host at its base.
    init?(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) {
        var formed: [IceChecklistPair] = []
        for ours in local {
            for theirs in remote where ours.component == theirs.component && ours.address.family == theirs.address.family {
                var sender = ours
                if ours.type == .serverReflexive {
                    guard let host = local.first(where: { $0.type == .host && $0.address == ours.base && $0.component == ours.component })
                    else { return nil }
                    sender = host
                }
                formed.append(IceChecklistPair(local: sender, remote: theirs,
                                               priority: Self.pairPriority(local: ours.priority, remote: theirs.priority,
                                                                           controlling: controlling),
                                               state: .frozen))
            }
        }
        let ordered = formed.enumerated().sorted {
            $0.element.priority != $1.element.priority ? $0.element.priority > $1.element.priority : $0.offset < $1.offset
        }.map(\.element)
        var seen = Set<IcePairID>()
        pairs = ordered.filter { seen.insert($0.id).inserted }
        unfreezeOnePerFoundation(skipping: [])
    }

    /// Every Frozen pair's foundation not in `skipping` gets one Waiting pair: lowest component, then highest priority.
    private mutating func unfreezeOnePerFoundation(skipping busy: Set<String>) {
        var unfrozen = Set<String>()
        let byComponent = pairs.indices.sorted { (pairs[$0].component, $0) < (pairs[$1].component, $1) }
        for index in byComponent where pairs[index].state == .frozen && !busy.contains(pairs[index].foundation) {
            if unfrozen.insert(pairs[index].foundation).inserted { pairs[index].state = .waiting }
        }
    }

    /// §6.1.4.2 steps 2 and 3.
    mutating func nextPairToCheck() -> IceChecklistPair? {
        if !pairs.contains(where: { $0.state == .waiting }) {
            unfreezeOnePerFoundation(skipping: Set(pairs.filter { $0.state == .inProgress }.map(\.foundation)))
        }
        let best = pairs.indices.filter { pairs[$0].state == .waiting }.min {
            (pairs[$0].priority, -pairs[$0].component) > (pairs[$1].priority, -pairs[$1].component)
        }
        guard let best else { return nil }
        pairs[best].state = .inProgress
        return pairs[best]
    }

    /// §7.2.5.3.3; false when the pair is unknown or not In-Progress.
    mutating func checkSucceeded(_ id: IcePairID) -> Bool {
        guard let index = pairs.firstIndex(where: { $0.id == id }), pairs[index].state == .inProgress else { return false }
        pairs[index].state = .succeeded
        for other in pairs.indices where pairs[other].state == .frozen && pairs[other].foundation == pairs[index].foundation {
            pairs[other].state = .waiting
        }
        return true
    }

    /// §7.2.5.2; false when the pair is unknown or not In-Progress.
    mutating func checkFailed(_ id: IcePairID) -> Bool {
        guard let index = pairs.firstIndex(where: { $0.id == id }), pairs[index].state == .inProgress else { return false }
        pairs[index].state = .failed
        return true
    }
}

/// The candidate sets the checks use (RFC 5737 documentation addresses).
enum IceChecklistScenarios {
    static let host: UInt32 = 2_130_706_431      // 126, 65535, component 1
    static let host2: UInt32 = 2_130_706_430     // 126, 65535, component 2
    static let hostLower: UInt32 = 2_130_706_175 // 126, 65534, component 1
    static let srflx: UInt32 = 1_694_498_815     // 100, 65535, component 1
    static let srflx2: UInt32 = 1_694_498_814    // 100, 65535, component 2
    static let relay: UInt32 = 16_777_215        // 0, 65535, component 1

    static func address(_ text: String, _ port: Int) -> IceTransportAddress { IceTransportAddress(text, port) }

    /// One candidate set and the role it is formed for.
    struct Scenario {
        let name: String
        let local: [IceChecklistCandidate]
        let remote: [IceChecklistCandidate]
        let controlling: Bool

        /// What a check's failure shows as its input.
        var input: String {
            "form(local: [\(local.map(\.description).joined(separator: "; "))], "
                + "remote: [\(remote.map(\.description).joined(separator: "; "))], controlling: \(controlling))"
        }

        func role(_ controlling: Bool) -> Scenario {
            Scenario(name: name + (controlling ? "" : ", controlled"), local: local, remote: remote, controlling: controlling)
        }
    }

    /// Behind NATs, as ice-check sees it: host, srflx and relay on both sides.
    static let nat = Scenario(
        name: "host, srflx and relay on both sides",
        local: [
            IceChecklistCandidate(type: .host, address: address("10.0.1.2", 5000), foundation: "1", priority: host),
            IceChecklistCandidate(type: .serverReflexive, address: address("203.0.113.1", 40000),
                                  base: address("10.0.1.2", 5000), foundation: "2", priority: srflx),
            IceChecklistCandidate(type: .relay, address: address("192.0.2.2", 49152), foundation: "3", priority: relay),
        ],
        remote: [
            IceChecklistCandidate(type: .host, address: address("10.0.2.2", 6000), foundation: "1", priority: host),
            IceChecklistCandidate(type: .serverReflexive, address: address("198.51.100.1", 50000), foundation: "2",
                                  priority: srflx),
            IceChecklistCandidate(type: .relay, address: address("192.0.2.2", 49153), foundation: "3", priority: relay),
        ],
        controlling: true)

    /// IPv4 and IPv6 on both sides: no pair may mix them.
    static let families = Scenario(
        name: "IPv4 and IPv6 hosts",
        local: [
            IceChecklistCandidate(type: .host, address: address("10.0.1.2", 5000), foundation: "1", priority: host),
            IceChecklistCandidate(type: .host, address: address("2001:db8::2", 5000), foundation: "4", priority: hostLower),
        ],
        remote: [
            IceChecklistCandidate(type: .host, address: address("2001:db8::3", 6000), foundation: "7", priority: host),
            IceChecklistCandidate(type: .host, address: address("10.0.2.2", 6000), foundation: "8", priority: hostLower),
            IceChecklistCandidate(type: .serverReflexive, address: address("198.51.100.1", 50000), foundation: "9",
                                  priority: srflx),
        ],
        controlling: true)

    /// RTP and RTCP (components 1 and 2), whose candidates share foundations.
    static let components = Scenario(
        name: "two components sharing foundations",
        local: [
            IceChecklistCandidate(type: .host, address: address("10.0.1.2", 5000), component: 1, foundation: "1", priority: host),
            IceChecklistCandidate(type: .host, address: address("10.0.1.2", 5001), component: 2, foundation: "1", priority: host2),
            IceChecklistCandidate(type: .serverReflexive, address: address("203.0.113.1", 40000), base: address("10.0.1.2", 5000),
                                  component: 1, foundation: "2", priority: srflx),
            IceChecklistCandidate(type: .serverReflexive, address: address("203.0.113.1", 40001), base: address("10.0.1.2", 5001),
                                  component: 2, foundation: "2", priority: srflx2),
        ],
        remote: [
            IceChecklistCandidate(type: .host, address: address("10.0.2.2", 6000), component: 1, foundation: "1", priority: host),
            IceChecklistCandidate(type: .host, address: address("10.0.2.2", 6001), component: 2, foundation: "1", priority: host2),
            IceChecklistCandidate(type: .serverReflexive, address: address("198.51.100.1", 50000), component: 1,
                                  foundation: "2", priority: srflx),
            IceChecklistCandidate(type: .serverReflexive, address: address("198.51.100.1", 50001), component: 2,
                                  foundation: "2", priority: srflx2),
        ],
        controlling: false)

    /// Two hosts on one IP (one foundation), and a relay on the other side.
    static let sameFoundation = Scenario(
        name: "two local hosts of one foundation",
        local: [
            IceChecklistCandidate(type: .host, address: address("10.0.1.2", 5002), foundation: "1", priority: hostLower),
            IceChecklistCandidate(type: .host, address: address("10.0.1.2", 5000), foundation: "1", priority: host),
        ],
        remote: [
            IceChecklistCandidate(type: .host, address: address("10.0.2.2", 6000), foundation: "5", priority: host),
            IceChecklistCandidate(type: .relay, address: address("192.0.2.2", 49153), foundation: "6", priority: relay),
        ],
        controlling: true)

    /// `components` with host candidates only on our side.
    static let componentHosts = Scenario(
        name: "two components, hosts only on our side", local: components.local.filter { $0.type == .host },
        remote: components.remote, controlling: false)

    /// A srflx candidate whose host was left out: formation must refuse it.
    static let orphanSrflx = Scenario(
        name: "a srflx candidate without its host", local: Array(nat.local.dropFirst()), remote: nat.remote, controlling: true)
}

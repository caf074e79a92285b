import Testing
import Wire
@testable import ICE

/// A machine with loopback, two documentation-range interfaces (RFC 5737
/// 192.0.2.0/24, RFC 3849 2001:db8::/32), a link-local address and a down one.
let sampleInterfaces: [ICENetworkInterface] = [
    ICENetworkInterface(name: "lo", address: .loopbackV4),
    ICENetworkInterface(name: "lo", address: .loopbackV6),
    ICENetworkInterface(name: "eth0", address: IPAddress("192.0.2.10")!),
    ICENetworkInterface(name: "eth0", address: IPAddress("2001:db8::10")!),
    ICENetworkInterface(name: "eth0", address: IPAddress("fe80::1")!),
    ICENetworkInterface(name: "wlan0", address: IPAddress("192.0.2.20")!),
    ICENetworkInterface(name: "wlan0", address: IPAddress("169.254.7.7")!),
    ICENetworkInterface(name: "eth1", address: IPAddress("192.0.2.30")!, isUp: false),
    ICENetworkInterface(name: "eth0", address: IPAddress("::ffff:192.0.2.10")!),
    ICENetworkInterface(name: "eth0", address: IPAddress("fec0::5")!),
    ICENetworkInterface(name: "any", address: .anyV4),
]

@Suite("Host candidate gathering")
struct GatheringTests {
    @Test("loopback-only gathering uses 127.0.0.1 and ::1 and never a 192.0.2.x address")
    func loopbackOnly() {
        let addresses = ICEHostGathering.hostAddresses(from: sampleInterfaces, policy: .loopbackOnly)
        #expect(addresses.map(\.ip) == [.loopbackV4, .loopbackV6])
        #expect(!addresses.contains { $0.ip.description.hasPrefix("192.0.2.") })
        // Dual stack: ::1 first in the interleaved order (65535), then 127.0.0.1 (65534).
        #expect(addresses.map(\.localPreference) == [65534, 65535])
    }

    @Test("all-interfaces gathering leaves out loopback, link-local, down, mapped, site-local and unspecified")
    func allInterfaces() {
        let addresses = ICEHostGathering.hostAddresses(from: sampleInterfaces, policy: .allInterfaces)
        #expect(addresses.map(\.ip.description) == ["192.0.2.10", "2001:db8::10", "192.0.2.20"])
        #expect(addresses.map(\.interfaceName) == ["eth0", "eth0", "wlan0"])
    }

    @Test("link-local addresses join only when asked")
    func linkLocalOnRequest() {
        let addresses = ICEHostGathering.hostAddresses(from: sampleInterfaces, policy: .allInterfaces(includeLinkLocal: true))
        #expect(addresses.map(\.ip.description) == ["192.0.2.10", "2001:db8::10", "fe80::1", "192.0.2.20", "169.254.7.7"])
        #expect(ICEHostGathering.isLinkLocal(IPAddress("fe80::1")!))
        #expect(ICEHostGathering.isLinkLocal(IPAddress("febf::1")!))
        #expect(!ICEHostGathering.isLinkLocal(IPAddress("fec0::1")!))
        #expect(!ICEHostGathering.isLinkLocal(IPAddress("2001:db8::1")!))
    }

    @Test("local preferences interleave IPv6 and IPv4 and stay distinct (RFC 8421)")
    func interleavedLocalPreferences() {
        let v4a = IPAddress("192.0.2.1")!, v4b = IPAddress("192.0.2.2")!, v4c = IPAddress("192.0.2.3")!
        let v6a = IPAddress("2001:db8::1")!
        // Order v6a, v4a, v4b, v4c: 65535, 65534, 65533, 65532; returned in input order.
        #expect(ICEHostGathering.localPreferences(for: [v4a, v4b, v6a, v4c]) == [65534, 65533, 65535, 65532])
        #expect(ICEHostGathering.localPreferences(for: [v4a]) == [65535])
        #expect(ICEHostGathering.localPreferences(for: []) == [])
    }

    @Test("a bound host candidate has its own base, host priority and a foundation per IP")
    func hostCandidates() throws {
        var foundations = ICEFoundations()
        let addresses = ICEHostGathering.hostAddresses(from: sampleInterfaces, policy: .loopbackOnly)
        let v4 = try ICEHostGathering.candidate(for: addresses[0], port: 5000, componentID: 1, foundations: &foundations)
        let v6 = try ICEHostGathering.candidate(for: addresses[1], port: 5002, componentID: 1, foundations: &foundations)
        #expect(v4.address == TransportAddress(.loopbackV4, 5000) && v4.base == v4.address)
        #expect(v4.type == .host && v4.priority == 2_130_706_175) // local preference 65534
        #expect(v6.priority == 2_130_706_431)                     // local preference 65535
        #expect(v4.foundation == "1" && v6.foundation == "2")
        // Another port on the same IP (a second component) shares the foundation.
        let v4c2 = try ICEHostGathering.candidate(for: addresses[0], port: 5001, componentID: 2, foundations: &foundations)
        #expect(v4c2.foundation == "1" && v4c2.priority == 2_130_706_174)
    }
}

@Suite("Foundations and redundant candidates")
struct CandidateTests {
    @Test("same type, base IP, server and transport share a foundation; any difference splits it")
    func foundations() {
        var registry = ICEFoundations()
        let base = IPAddress("192.0.2.1")!, stun = IPAddress("198.51.100.1")!, other = IPAddress("198.51.100.2")!
        let a = registry.foundation(for: ICEFoundationKey(type: .serverReflexive, baseIP: base, server: stun))
        let b = registry.foundation(for: ICEFoundationKey(type: .serverReflexive, baseIP: base, server: stun))
        let c = registry.foundation(for: ICEFoundationKey(type: .serverReflexive, baseIP: base, server: other))
        let d = registry.foundation(for: ICEFoundationKey(type: .host, baseIP: base, server: nil))
        let e = registry.foundation(for: ICEFoundationKey(type: .host, baseIP: base, server: nil, transport: .tcp))
        #expect(a == b)
        #expect(Set([a, c, d, e]).count == 4)
        #expect(registry.count == 4)
    }

    @Test("a srflx equal to its host (no NAT) is redundant and the host survives")
    func eliminatesRedundant() {
        let host = ICECandidate(type: .host, address: TransportAddress(.loopbackV4, 5000), componentID: 1,
                                foundation: "1", priority: 2_130_706_431)
        let sameSrflx = ICECandidate(type: .serverReflexive, address: host.address, base: host.address, componentID: 1,
                                     foundation: "2", priority: 1_694_498_815, relatedAddress: host.address)
        let realSrflx = ICECandidate(type: .serverReflexive, address: TransportAddress(IPAddress("203.0.113.9")!, 6000),
                                     base: host.address, componentID: 1, foundation: "2", priority: 1_694_498_815)
        let otherComponent = ICECandidate(type: .host, address: host.address, componentID: 2, foundation: "1",
                                          priority: 2_130_706_430)
        let kept = ICECandidate.eliminatingRedundant([sameSrflx, host, realSrflx, otherComponent])
        #expect(kept == [host, realSrflx, otherComponent])
    }

    @Test("peer-reflexive candidates learnt from checks carry the right priority and base")
    func peerReflexiveLearning() {
        let source = TransportAddress(IPAddress("203.0.113.7")!, 40000)
        let remote = ICECandidate.remotePeerReflexive(source: source, priority: 1_862_270_975, componentID: 1, foundation: "r9")
        #expect(remote.type == .peerReflexive && remote.address == source && remote.base == source)
        #expect(remote.priority == 1_862_270_975)

        var foundations = ICEFoundations()
        let host = ICECandidate(type: .host, address: TransportAddress(.loopbackV4, 5000), componentID: 1,
                                foundation: "1", priority: 2_130_706_431)
        let mapped = TransportAddress(IPAddress("203.0.113.8")!, 41000)
        let local = ICECandidate.localPeerReflexive(mapped: mapped, sentPriority: host.peerReflexivePriority,
                                                    localCandidate: host, foundations: &foundations)
        #expect(local.address == mapped && local.base == host.address && local.relatedAddress == host.address)
        #expect(local.priority == 1_862_270_975 && local.type == .peerReflexive)
        #expect(local.description.contains("prflx udp 203.0.113.8:41000"))
    }
}

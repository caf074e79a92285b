import Simulation
import Testing
import Wire

/// One row of the NAT behaviour table these tests prove (RFC 4787 §4.1 and §5).
struct NATRow: Sendable, CustomTestStringConvertible {
    let name: String
    let configuration: NATConfiguration
    /// External ports alice:4000 shows to s1:3478, s1:3479 and s2:3478 (public IP 203.0.113.5).
    let mappedPorts: [UInt16]
    /// Whether an unsolicited datagram reaches alice after she sent only to s1:3478,
    /// from s1:3478 itself, from s1:3479 (same IP, other port), from s2:3478 (other IP).
    let admits: [Bool]

    var testDescription: String { name }

    static let all: [NATRow] = [
        NATRow(name: "full cone (EIM+EIF)", configuration: .fullCone,
               mappedPorts: [4000, 4000, 4000], admits: [true, true, true]),
        NATRow(name: "restricted cone (EIM+ADF)", configuration: .restrictedCone,
               mappedPorts: [4000, 4000, 4000], admits: [true, true, false]),
        NATRow(name: "port-restricted cone (EIM+APDF)", configuration: .portRestrictedCone,
               mappedPorts: [4000, 4000, 4000], admits: [true, false, false]),
        NATRow(name: "symmetric (APDM+APDF)", configuration: .symmetric,
               mappedPorts: [4000, 49152, 49153], admits: [true, false, false]),
        NATRow(name: "address-dependent mapping (ADM+ADF)",
               configuration: NATConfiguration(mapping: .addressDependent, filtering: .addressDependent),
               mappedPorts: [4000, 4000, 49152], admits: [true, true, false]),
    ]
}

@Suite("NAT mapping and filtering behaviour")
struct NATBehaviorTests {
    @Test("a host behind each NAT type shows the external address its mapping behaviour predicts",
          arguments: NATRow.all)
    func mapping(row: NATRow) throws {
        let lab = try NATLab(row.configuration, conditions: .delay(.milliseconds(10)))
        for remote in [lab.s1, lab.s1OtherPort, lab.s2] { lab.aliceSends(to: remote, at: .zero) }
        lab.network.run(until: .seconds(1))
        let seen = (0..<3).map { lab.seenBy($0) }
        #expect(seen == row.mappedPorts.map { [TransportAddress(NATLab.publicIP, $0)] })
        // Every datagram crossed the NAT at 0 ms (a perfect LAN) and arrived 10 ms later.
        #expect(lab.network.trace.deliveries().map(\.time) == Array(repeating: .milliseconds(10), count: 3))
        let nat = lab.nat
        #expect(nat.counters.translatedOutbound == 3)
        #expect(nat.counters.mappingsCreated == Set(row.mappedPorts).count)
        #expect(nat.mappings(at: lab.network.now).map(\.externalAddress.port) == Array(Set(row.mappedPorts)).sorted())
        #expect(nat.mapping(of: lab.alice, toward: lab.s2, at: lab.network.now)?.externalAddress.port == row.mappedPorts[2])
    }

    @Test("unsolicited inbound datagrams get through exactly as the filtering behaviour predicts",
          arguments: NATRow.all)
    func filtering(row: NATRow) throws {
        let lab = try NATLab(row.configuration, conditions: .delay(.milliseconds(10)))
        lab.aliceSends(to: lab.s1, at: .zero)
        let mapped = TransportAddress(NATLab.publicIP, 4000)
        for server in 0..<3 { lab.serverSends(server, to: mapped, at: .seconds(1)) }
        lab.serverSends(2, to: TransportAddress(NATLab.publicIP, 5555), at: .seconds(2))
        lab.network.run(until: .seconds(3))

        let sources = [lab.s1, lab.s1OtherPort, lab.s2]
        let expected = sources.indices.filter { row.admits[$0] }.map { sources[$0] }
        #expect(lab.aliceReceivedFrom == expected)
        var reasons: [String] = sources.indices.filter { !row.admits[$0] }.map { index in
            let sentTo = row.configuration.filtering == .addressDependent ? sources[index].ip.description
                : sources[index].description
            return "filtered by \(row.configuration): 203.0.113.5:4000 (192.168.1.2:4000) has not sent to \(sentTo)"
        }
        reasons.append("\(row.configuration): no mapping for 203.0.113.5:5555 (from 198.51.100.2:3478)")
        #expect(lab.natDrops == reasons)
        let counters = lab.nat.counters
        #expect(counters.translatedInbound == expected.count)
        #expect(counters.droppedFiltered == 3 - expected.count && counters.droppedNoMapping == 1)
    }

    @Test("presets carry the RFC 4787 behaviours and classic names")
    func presets() {
        let table = NATConfiguration.presetNames.map { name -> String in
            let preset = NATConfiguration.preset(named: name)!
            return "\(name): \(preset.mapping.abbreviation)+\(preset.filtering.abbreviation) = \(preset)"
        }
        #expect(table == ["full-cone: EIM+EIF = full cone NAT", "restricted-cone: EIM+ADF = restricted cone NAT",
                          "port-restricted-cone: EIM+APDF = port-restricted cone NAT", "symmetric: APDM+APDF = symmetric NAT"])
        #expect(NATConfiguration.preset(named: "open") == nil)
        #expect(NATConfiguration(mapping: .addressDependent, filtering: .endpointIndependent).description == "NAT (ADM, EIF)")
        let defaults = NATConfiguration.symmetric
        #expect(defaults.mappingTimeout == .seconds(120) && defaults.hairpinning && defaults.preservesPorts)
        #expect(defaults.portAllocation == .sequential && defaults.portRange == 49152...65535)
    }

    @Test("a NAT needs at least one public address")
    func emptyPool() {
        #expect(throws: SimulationError(.noAddress, "a NAT needs a public address")) {
            _ = try NATBox(.fullCone, publicAddresses: [])
        }
    }
}

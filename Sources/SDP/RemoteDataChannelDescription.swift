/// What a remote description says about its DataChannel transport, after checking
/// that it can be used (RFC 9429 §5.8 and §5.10, RFC 8841, RFC 8839 §5.4).
///
/// Session-level values are inherited by the media section when the section
/// does not repeat them (RFC 8866 §5.13), as old Firefox offers rely on.
public struct RemoteDataChannelDescription: Hashable, Sendable {
    /// Which kind of description is being checked; answers may not say `setup:actpass`.
    public enum Kind: String, Hashable, Sendable {
        /// A remote offer.
        case offer
        /// A remote answer.
        case answer
    }

    /// Index of the DataChannel section in `SessionDescription.media`.
    public var sectionIndex: Int
    /// Its `a=mid`, if any.
    public var mid: String?
    /// The remote ICE username fragment (4-256 ice-chars).
    public var iceUfrag: String
    /// The remote ICE password (22-256 ice-chars).
    public var icePwd: String
    /// The remote `a=ice-options` tokens.
    public var iceOptions: [String]
    /// True when the remote agent is ICE-lite.
    public var isICELite: Bool
    /// The remote certificate fingerprints (any one must match the DTLS certificate).
    public var fingerprints: [Fingerprint]
    /// The remote setup role.
    public var setup: SetupRole
    /// The remote SCTP port (default 5000, RFC 8841 §5.2).
    public var sctpPort: UInt16
    /// The largest message the remote accepts; 65536 when absent (RFC 8841 §6.1), 0 = no limit.
    public var maxMessageSize: UInt64
    /// True for the legacy `DTLS/SCTP <port>` + `a=sctpmap` form.
    public var usesLegacySCTPMap: Bool
    /// The candidates already in the description.
    public var candidates: [Candidate]
    /// True when `a=end-of-candidates` says no more will trickle.
    public var hasEndOfCandidates: Bool

    /// Checks `description` and extracts its DataChannel parameters.
    ///
    /// Throws `.noUsableApplicationSection`, `.multipleApplicationSections`,
    /// `.missingAttribute`, `.invalidValue` or `.incompatibleSetup`.
    public init(validating description: SessionDescription, as kind: Kind) throws(SDPError) {
        let usable = description.media.indices.filter { index in
            let section = description.media[index]
            return section.carriesDataChannels && (section.mediaLine.port != 0 || section.hasAttribute("bundle-only"))
        }
        guard let index = usable.first else {
            throw SDPError(.noUsableApplicationSection,
                           "no accepted m=application section carries webrtc-datachannel over DTLS/SCTP")
        }
        guard usable.count == 1 else {
            throw SDPError(.multipleApplicationSections, "\(usable.count) m=application sections carry DataChannels")
        }
        let section = description.media[index]
        func inherited<T>(_ value: (any SDPAttributeCarrying) -> T?) -> T? { value(section) ?? value(description) }

        guard let ufrag = inherited({ $0.iceUfrag }) else { throw SDPError(.missingAttribute, "no a=ice-ufrag") }
        guard SDPText.isICEString(Substring(ufrag), length: 4...256) else {
            throw SDPError(.invalidValue, "ice-ufrag must be 4-256 ice-chars (RFC 8839 §5.4)")
        }
        guard let pwd = inherited({ $0.icePwd }) else { throw SDPError(.missingAttribute, "no a=ice-pwd") }
        guard SDPText.isICEString(Substring(pwd), length: 22...256) else {
            throw SDPError(.invalidValue, "ice-pwd must be 22-256 ice-chars (RFC 8839 §5.4)")
        }
        let fingerprints = section.fingerprints.isEmpty ? description.fingerprints : section.fingerprints
        guard !fingerprints.isEmpty else { throw SDPError(.missingAttribute, "no a=fingerprint") }
        guard let setup = inherited({ $0.setup }) else { throw SDPError(.missingAttribute, "no a=setup") }
        switch (setup, kind) {
        case (.active, _), (.passive, _), (.actpass, .offer): break
        case (.actpass, .answer): throw SDPError(.incompatibleSetup, "an answer must choose active or passive, not actpass")
        default: throw SDPError(.incompatibleSetup, "setup:\(setup) cannot start a DTLS association")
        }

        sectionIndex = index
        mid = section.mid
        iceUfrag = ufrag
        icePwd = pwd
        iceOptions = section.iceOptions.isEmpty ? description.iceOptions : section.iceOptions
        isICELite = description.isICELite || section.isICELite
        self.fingerprints = fingerprints
        self.setup = setup
        usesLegacySCTPMap = section.mediaLine.proto.uppercased() == "DTLS/SCTP"
        sctpPort = section.dataChannelSCTPPort ?? 5000
        maxMessageSize = section.maxMessageSize ?? 65536
        candidates = section.candidates
        hasEndOfCandidates = section.hasEndOfCandidates
    }
}

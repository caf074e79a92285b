// Checks of exercise 05: certificate fingerprints in SDP form (RFC 8122 §5), comparing two
// of them, and the DTLS role from the a=setup pair (RFC 4145 §4, RFC 8842 §5, RFC 5763 §5).
// A coding exercise, so failures show the expected value (like exercises 02 and 03); the
// certificates are real DER and the expected fingerprints are OpenSSL's (see
// DTLSFingerprintVectors.swift). The role table is checked in full: all 16 pairs of the
// four setup values, plus values that are not setup values at all.
import ExerciseInterfaces

enum DTLSFingerprintChecks {
    static let exerciseID = "05-dtls-fingerprint"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let formRule = "RFC 8122 §5: the fingerprint is the hash of the certificate's DER encoding, written after the hash "
        + "function's name and one space as upper-case hex pairs separated by colons: fingerprint = 2UHEX *(\":\" 2UHEX)"
    static let nameRule = "RFC 8122 §5: hash-func names a function of the IANA \"Hash Function Textual Names\" registry "
        + "(sha-1, sha-224, sha-256, sha-384, sha-512); quoted ABNF strings are case-insensitive (RFC 5234 §2.3), "
        + "and the registry spells them in lower case"
    static let unknownRule = "RFC 8122 §5: hash-func must name a registered function; a name outside the registry "
        + "(or a misspelling such as \"sha256\") gives no digest to compute, so there is no fingerprint (nil)"
    static let emptyRule = "RFC 5763 §5: the fingerprint identifies the certificate an endpoint presents in the DTLS handshake; "
        + "no DER bytes means no certificate, so there is no fingerprint (nil)"
    static let matchRule = "RFC 8122 §5 and RFC 4572 §5: two fingerprints match when they name the same hash function "
        + "(case-insensitive, RFC 5234 §2.3) and carry the same bytes; hex digits are compared ignoring case, "
        + "surrounding whitespace is not part of the value"
    static let algorithmRule = "RFC 8122 §5: a fingerprint is a digest under one named hash function; the same certificate "
        + "hashed with sha-1 and with sha-256 gives two different fingerprints, and equal bytes under two names are not a match"
    static let shapeRule = "RFC 8122 §5: fingerprint = 2UHEX *(\":\" 2UHEX): exactly two hex digits per byte, one colon between "
        + "bytes, none before the first or after the last; a value of another shape never matches (this lab's choice: no guessing)"
    static let malformedRule = "RFC 8122 §5: an a=fingerprint value is '<hash-func> SP <fingerprint>' with a registered hash "
        + "function and as many bytes as its digest (sha-256: 32); anything else identifies no certificate and never matches"
    static let roleRule = "RFC 4145 §4 and RFC 8842 §5: 'active' opens the connection, 'passive' accepts it, 'actpass' does "
        + "whichever the other side leaves; RFC 5763 §5: the active side is the DTLS client (it sends the ClientHello)"
    static let conflictRule = "RFC 4145 §4.1: one side must connect and the other accept: active/active and passive/passive "
        + "never meet, and an answer MUST NOT say actpass (RFC 8842 §5), so actpass/actpass leaves nobody to start (nil)"
    static let holdconnRule = "RFC 4145 §4: 'holdconn' means the endpoint does not want the connection established for now, "
        + "so no handshake starts whatever the other side says (nil)"
    static let unknownRoleRule = "RFC 4145 §4: role = \"active\" / \"passive\" / \"actpass\" / \"holdconn\"; "
        + "any other value says nothing about who connects (nil)"

    static let ecdsaSHA256 = check(
        "fingerprint.ecdsa-sha256", points: 2,
        title: "the sha-256 fingerprint of an ECDSA P-256 certificate is OpenSSL's, in SDP form", rule: formRule)
    static let rsaSHA256 = check(
        "fingerprint.rsa-sha256", points: 1,
        title: "the sha-256 fingerprint of an RSA 2048 certificate is OpenSSL's, in SDP form", rule: formRule)
    static let otherHashes = check(
        "fingerprint.other-hashes", points: 2,
        title: "sha-1, sha-224, sha-384 and sha-512 fingerprints of both certificates", rule: formRule)
    static let nameCase = check(
        "fingerprint.name-case", points: 1,
        title: "\"SHA-256\" is accepted and written back as the registered name \"sha-256\"", rule: nameRule)
    static let unknownAlgorithm = check(
        "fingerprint.unknown-algorithm", points: 1, title: "an unknown or misspelled hash function gives nil", rule: unknownRule)
    static let emptyDER = check(
        "fingerprint.empty-der", points: 1, title: "empty DER (no certificate) gives nil", rule: emptyRule)
    static let identical = check("match.identical", points: 1, title: "a fingerprint matches itself", rule: matchRule)
    static let hexCase = check(
        "match.hex-case", points: 1, title: "lower-case and mixed-case hex match upper-case hex", rule: matchRule)
    static let hashNameCase = check(
        "match.name-case", points: 1, title: "\"SHA-256\" and \"sha-256\" name the same hash function", rule: matchRule)
    static let whitespace = check(
        "match.whitespace", points: 1, title: "spaces, tabs and line ends around a value are ignored", rule: matchRule)
    static let differentBytes = check(
        "match.different-bytes", points: 1,
        title: "one different byte, first or last, or another certificate: no match", rule: matchRule)
    static let differentAlgorithm = check(
        "match.different-algorithm", points: 2,
        title: "fingerprints under different hash functions never match", rule: algorithmRule)
    static let separators = check(
        "match.separators", points: 1,
        title: "missing, doubled or stray colons, other separators and one-digit bytes never match", rule: shapeRule)
    static let malformed = check(
        "match.malformed", points: 1,
        title: "empty values, a missing or unknown hash name, the wrong byte count or non-hex never match", rule: malformedRule)
    static let offerer = check(
        "role.offerer", points: 1,
        title: "the offerer's actpass takes the role the answer leaves: server for active, client for passive", rule: roleRule)
    static let answerer = check(
        "role.answerer", points: 1,
        title: "an answerer that chose active is the client, one that chose passive the server", rule: roleRule)
    static let fixed = check(
        "role.active-passive", points: 1, title: "active with passive: active is the client, passive the server", rule: roleRule)
    static let conflicts = check(
        "role.conflicts", points: 2, title: "active/active, passive/passive and actpass/actpass give nil", rule: conflictRule)
    static let holdconn = check("role.holdconn", points: 1, title: "holdconn on either side gives nil", rule: holdconnRule)
    static let unknownRole = check(
        "role.unknown-values", points: 1,
        title: "a value that is not a setup role (\"client\", \"act-pass\", \"\") gives nil", rule: unknownRoleRule)

    static let descriptors = [
        ecdsaSHA256, rsaSHA256, otherHashes, nameCase, unknownAlgorithm, emptyDER,
        identical, hexCase, hashNameCase, whitespace, differentBytes, differentAlgorithm, separators, malformed,
        offerer, answerer, fixed, conflicts, holdconn, unknownRole,
    ]

    static func checks<Exercise: DTLSFingerprintExercise>(_ exercise: Exercise.Type) -> [ExerciseCheck] {
        DTLSFingerprintFormChecks.checks(Exercise.self) + DTLSFingerprintMatchChecks.checks(Exercise.self)
            + DTLSRoleChecks.checks(Exercise.self)
    }

    /// A Swift string literal of `text`, so spaces, tabs and line ends show in a failure.
    static func quoted(_ text: String?) -> String {
        guard let text else { return "nil" }
        var out = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(character)
            }
        }
        return out + "\""
    }
}

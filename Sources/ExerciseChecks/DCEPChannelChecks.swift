// Checks of exercise 11: one data channel's DCEP state machine (RFC 8832 §6, RFC 8831
// §6.7). Every check plays scripts of events on fresh channels (DCEPChannelScripts.swift
// holds them; DCEPChannelScript.swift plays them) and compares each step's actions and
// state with the table in exercises/11-dcep-channel/README.md.
import ExerciseInterfaces

enum DCEPChannelChecks {
    static let exerciseID = "11-dcep-channel"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let openRule = "RFC 8832 §6: the opener sends DATA_CHANNEL_OPEN on the channel's stream (PPID 50, ordered and "
        + "reliable) and waits for DATA_CHANNEL_ACK on the same stream id; the ACK makes the channel open"
    static let earlyDataRule = "RFC 8832 §6: the opener may send user messages before the ACK arrives, but until then they "
        + "are sent ordered whatever the channel type, so none overtakes the OPEN; once acknowledged, an unordered "
        + "channel (Channel Type 0x80, 0x81, 0x82) sends unordered"
    static let implicitAckRule = "RFC 8832 §6: the peer sends user messages on a channel only once it has accepted the "
        + "OPEN, so a user message that arrives before the ACK acknowledges the channel: it opens and the message is "
        + "delivered; the ACK that arrives later changes nothing"
    static let acceptRule = "RFC 8832 §6: the receiver of a DATA_CHANNEL_OPEN for an unused stream answers with "
        + "DATA_CHANNEL_ACK on the same stream id and the channel is open at once, ordered or not as the OPEN's Channel "
        + "Type says; messages are delivered in the order they arrive"
    static let closeRule = "RFC 8831 §6.7: closing is signalled by resetting the outgoing stream (RFC 6525); whoever sees "
        + "its incoming stream reset resets its outgoing one too; the channel is closed once both directions are reset, "
        + "and the peer may still send until it resets its own side"
    static let neverOpenedRule = "RFC 8831 §6.7, W3C close(): a channel whose OPEN never left has nothing to reset on "
        + "the peer's side: it closes at once"
    static let ackRule = "RFC 8832 §6: DATA_CHANNEL_ACK answers our OPEN; an ACK on a channel that never sent one is a "
        + "peer's mistake, reported and ignored (a late ACK on our own channel, after data stood for it, is harmless)"
    static let secondOpenRule = "RFC 8832 §6: a DATA_CHANNEL_OPEN is sent once per channel, on a stream whose both "
        + "directions are unused; another OPEN on a stream in use is reported and changes nothing: no second ACK"
    static let dataRule = "RFC 8831 §6.7, §6.6: user messages belong to an open channel; a message on a stream with no "
        + "channel (before the OPEN, after the peer reset its side, once closed) is dropped and reported, never delivered"
    static let commandRule = "RFC 8832 §6, W3C send(): the application may send once the OPEN is on its way and until "
        + "the close starts; a send before, after, or a second open request is refused with nothing sent"

    static let sendsOpen = check(
        "open.sends-open", points: 2, title: "openRequested sends the OPEN as given and waits in awaitingAck",
        rule: openRule)
    static let ackOpens = check(
        "open.ack-opens", points: 2, title: "the ACK opens the opener's channel, once", rule: openRule)
    static let earlyData = check(
        "early-data.ordered-until-ack", points: 3,
        title: "before the ACK every message goes ordered, even on unordered channels; unordered after it",
        rule: earlyDataRule)
    static let implicitAck = check(
        "early-data.implicit-ack", points: 2,
        title: "a message before the ACK opens the channel and is delivered; the late ACK changes nothing",
        rule: implicitAckRule)
    static let accepts = check(
        "accept.sends-ack", points: 2,
        title: "the peer's OPEN is answered with an ACK, opens at once, and messages are delivered in order",
        rule: acceptRule)
    static let closesLocally = check(
        "close.local", points: 2,
        title: "closeRequested resets our stream (closing) and closes once both directions are reset, in either order",
        rule: closeRule)
    static let closesRemotely = check(
        "close.remote", points: 2,
        title: "the peer's reset is answered with ours (closing), then closed when ours is done", rule: closeRule)
    static let closesUnopened = check(
        "close.before-open", points: 1, title: "closing a channel that never sent its OPEN closes it at once",
        rule: neverOpenedRule)
    static let strayAck = check(
        "errors.ack-not-opening", points: 1, title: "an ACK for a channel that did not send an OPEN is .ackWithoutOpen",
        rule: ackRule)
    static let secondOpen = check(
        "errors.second-open", points: 1, title: "a second OPEN on the channel's stream is .openOnStreamInUse, no ACK",
        rule: secondOpenRule)
    static let strayData = check(
        "errors.data-without-channel", points: 1,
        title: "a message before the OPEN, after the peer's reset or once closed is dropped: .dataWithoutChannel",
        rule: dataRule)
    static let badCommand = check(
        "errors.invalid-command", points: 1,
        title: "a send before the OPEN or once closing, and a second openRequested, are .invalidCommand",
        rule: commandRule)

    static let descriptors = [
        sendsOpen, ackOpens, earlyData, implicitAck, accepts, closesLocally, closesRemotely, closesUnopened,
        strayAck, secondOpen, strayData, badCommand,
    ]

    static func checks<Channel: DCEPChannelExercise>(_: Channel.Type) -> [ExerciseCheck] {
        let scripts = DCEPChannelScripts.self
        return [
            plays(Channel.self, sendsOpen, scripts.sendsOpen),
            plays(Channel.self, ackOpens, scripts.ackOpens),
            plays(Channel.self, earlyData, scripts.earlyData),
            plays(Channel.self, implicitAck, scripts.implicitAck),
            plays(Channel.self, accepts, scripts.accepts),
            plays(Channel.self, closesLocally, scripts.closesLocally),
            plays(Channel.self, closesRemotely, scripts.closesRemotely),
            plays(Channel.self, closesUnopened, scripts.closesUnopened),
            plays(Channel.self, strayAck, scripts.stray),
            plays(Channel.self, secondOpen, scripts.secondOpen),
            plays(Channel.self, strayData, scripts.strayData),
            plays(Channel.self, badCommand, scripts.badCommand),
        ]
    }

    /// A check that every script plays as written.
    static func plays<Channel: DCEPChannelExercise>(
        _: Channel.Type, _ descriptor: CheckDescriptor, _ scripts: [DCEPChannelScript]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for script in scripts {
                if let failure = script.play(Channel.self, rule: descriptor.rule) { return .fail(failure) }
            }
            return .pass
        }
    }
}

extension CheckSuite {
    /// Exercise 11's checks bound to `channel` (the student's `DCEPChannel` in exercise-runner,
    /// `Solutions.DCEPChannel` in the tests); added to `checks(...)`'s by the runner.
    public static func dcepChannelChecks<Channel: DCEPChannelExercise>(_ channel: Channel.Type) -> [ExerciseCheck] {
        DCEPChannelChecks.checks(Channel.self)
    }
}

// The scripts of exercise 11's checks, written by hand from RFC 8832 §6 and RFC 8831 §6.7
// (and the table in exercises/11-dcep-channel/README.md), never from the solution.
import ExerciseInterfaces

enum DCEPChannelScripts {
    // MARK: - Vocabulary

    static let reliable = DCEPOpenFields(channelType: 0x00, priority: 256, reliabilityParameter: 0, label: "chat", protocol: "")
    static let unordered = DCEPOpenFields(channelType: 0x80, priority: 256, reliabilityParameter: 0, label: "game",
                                          protocol: "")
    static let rexmitUnordered = DCEPOpenFields(channelType: 0x81, priority: 256, reliabilityParameter: 0,
                                                label: "rexmit0-unordered", protocol: "")
    static let timedUnordered = DCEPOpenFields(channelType: 0x82, priority: 512, reliabilityParameter: 1000,
                                               label: "lifetime1000-unordered", protocol: "json")
    static let rexmitOrdered = DCEPOpenFields(channelType: 0x01, priority: 128, reliabilityParameter: 3, label: "rexmit3",
                                              protocol: "")

    static func text(_ text: String) -> DCEPUserMessage { DCEPUserMessage(ppid: 51, payload: Array(text.utf8)) }
    static let binary = DCEPUserMessage(ppid: 53, payload: [0x00, 0xff, 0x10])
    static let emptyText = DCEPUserMessage(ppid: 56, payload: [0])

    static func step(_ event: DCEPChannelEvent, _ actions: [DCEPChannelAction], _ state: DCEPChannelState) -> DCEPChannelStep {
        DCEPChannelStep(event: event, actions: actions, state: state)
    }

    /// We open `fields`: the OPEN goes, the channel waits for the ACK.
    static func opening(_ fields: DCEPOpenFields) -> DCEPChannelStep {
        step(.openRequested(fields), [.sendOpen(fields), .stateChanged(.awaitingAck)], .awaitingAck)
    }

    /// We open `fields` and the ACK comes.
    static func opened(_ fields: DCEPOpenFields) -> [DCEPChannelStep] {
        [opening(fields), step(.receivedAck, [.stateChanged(.open)], .open)]
    }

    /// The peer opens `fields`: we acknowledge, open at once.
    static func accepting(_ fields: DCEPOpenFields) -> DCEPChannelStep {
        step(.receivedOpen(fields), [.sendAck, .stateChanged(.open)], .open)
    }

    // MARK: - Opening

    static let sendsOpen = [
        DCEPChannelScript(name: "we open a reliable channel", steps: [opening(reliable)]),
        DCEPChannelScript(name: "we open an unordered channel with a protocol", steps: [opening(timedUnordered)]),
    ]

    static let ackOpens = [
        DCEPChannelScript(name: "we open a reliable channel, the ACK comes, we send", steps: opened(reliable) + [
            step(.appSend(text("hi")), [.sendData(text("hi"), ordered: true)], .open),
        ]),
        DCEPChannelScript(name: "a limited-retransmission ordered channel stays ordered after the ACK",
                          steps: opened(rexmitOrdered) + [
                              step(.appSend(binary), [.sendData(binary, ordered: true)], .open),
                          ]),
    ]

    static let earlyData = [unordered, rexmitUnordered, timedUnordered].map { fields in
        DCEPChannelScript(name: "we open \(fields.label) (channel type \(Describe.hex(fields.channelType))) and send "
                          + "before and after the ACK", steps: [
                              opening(fields),
                              step(.appSend(text("early 1")), [.sendData(text("early 1"), ordered: true)], .awaitingAck),
                              step(.appSend(emptyText), [.sendData(emptyText, ordered: true)], .awaitingAck),
                              step(.receivedAck, [.stateChanged(.open)], .open),
                              step(.appSend(text("late")), [.sendData(text("late"), ordered: false)], .open),
                          ])
    } + [
        DCEPChannelScript(name: "an ordered channel sends ordered before and after the ACK", steps: [
            opening(reliable),
            step(.appSend(text("early")), [.sendData(text("early"), ordered: true)], .awaitingAck),
            step(.receivedAck, [.stateChanged(.open)], .open),
            step(.appSend(text("late")), [.sendData(text("late"), ordered: true)], .open),
        ]),
    ]

    static let implicitAck = [
        DCEPChannelScript(name: "we open an unordered channel; the peer's echo comes before its ACK", steps: [
            opening(unordered),
            step(.receivedData(text("echo")), [.stateChanged(.open), .deliver(text("echo"))], .open),
            step(.appSend(text("next")), [.sendData(text("next"), ordered: false)], .open),
            step(.receivedAck, [], .open),
            step(.receivedData(binary), [.deliver(binary)], .open),
        ]),
    ]

    // MARK: - Accepting

    static let accepts = [
        DCEPChannelScript(name: "the peer opens a reliable channel and sends three messages", steps: [
            accepting(reliable),
            step(.receivedData(text("one")), [.deliver(text("one"))], .open),
            step(.receivedData(binary), [.deliver(binary)], .open),
            step(.receivedData(emptyText), [.deliver(emptyText)], .open),
            step(.appSend(text("back")), [.sendData(text("back"), ordered: true)], .open),
        ]),
        DCEPChannelScript(name: "the peer opens an unordered channel: our answers go unordered at once", steps: [
            accepting(rexmitUnordered),
            step(.appSend(text("back")), [.sendData(text("back"), ordered: false)], .open),
        ]),
    ]

    // MARK: - Closing

    static let closesLocally = [
        DCEPChannelScript(name: "we close an accepted channel; our reset completes first", steps: [
            accepting(reliable),
            step(.closeRequested, [.resetOutgoingStream, .stateChanged(.closing)], .closing),
            step(.receivedData(text("still")), [.deliver(text("still"))], .closing),
            step(.appSend(text("too late")), [.error(.invalidCommand)], .closing),
            step(.closeRequested, [], .closing),
            step(.outgoingResetDone, [], .closing),
            step(.incomingStreamReset, [.stateChanged(.closed)], .closed),
        ]),
        DCEPChannelScript(name: "we close our acknowledged channel; the peer's reset comes first", steps: opened(unordered) + [
            step(.closeRequested, [.resetOutgoingStream, .stateChanged(.closing)], .closing),
            step(.incomingStreamReset, [], .closing),
            step(.outgoingResetDone, [.stateChanged(.closed)], .closed),
        ]),
        DCEPChannelScript(name: "we close before the ACK came", steps: [
            opening(reliable),
            step(.closeRequested, [.resetOutgoingStream, .stateChanged(.closing)], .closing),
            step(.receivedAck, [], .closing),
            step(.outgoingResetDone, [], .closing),
            step(.incomingStreamReset, [.stateChanged(.closed)], .closed),
        ]),
    ]

    static let closesRemotely = [
        DCEPChannelScript(name: "the peer closes our acknowledged channel", steps: opened(reliable) + [
            step(.incomingStreamReset, [.resetOutgoingStream, .stateChanged(.closing)], .closing),
            step(.closeRequested, [], .closing),
            step(.outgoingResetDone, [.stateChanged(.closed)], .closed),
        ]),
        DCEPChannelScript(name: "the peer closes a channel it opened", steps: [
            accepting(timedUnordered),
            step(.receivedData(text("bye")), [.deliver(text("bye"))], .open),
            step(.incomingStreamReset, [.resetOutgoingStream, .stateChanged(.closing)], .closing),
            step(.outgoingResetDone, [.stateChanged(.closed)], .closed),
        ]),
        DCEPChannelScript(name: "the peer closes before its ACK reached us", steps: [
            opening(unordered),
            step(.incomingStreamReset, [.resetOutgoingStream, .stateChanged(.closing)], .closing),
            step(.outgoingResetDone, [.stateChanged(.closed)], .closed),
        ]),
    ]

    static let closesUnopened = [
        DCEPChannelScript(name: "the application closes a channel before opening it", steps: [
            step(.closeRequested, [.stateChanged(.closed)], .closed),
            step(.closeRequested, [], .closed),
            step(.outgoingResetDone, [], .closed),
        ]),
    ]

    // MARK: - The peer's mistakes and the application's

    static let stray = [
        DCEPChannelScript(name: "an ACK arrives on a stream with no channel yet", steps: [
            step(.receivedAck, [.error(.ackWithoutOpen)], .idle),
            accepting(reliable),
        ]),
        DCEPChannelScript(name: "the peer opened, we acknowledged, and an ACK comes back", steps: [
            accepting(reliable),
            step(.receivedAck, [.error(.ackWithoutOpen)], .open),
            step(.receivedData(text("fine")), [.deliver(text("fine"))], .open),
        ]),
    ]

    static let secondOpen = [
        DCEPChannelScript(name: "the peer sends its OPEN twice", steps: [
            accepting(reliable),
            step(.receivedOpen(unordered), [.error(.openOnStreamInUse)], .open),
            step(.appSend(text("still reliable")), [.sendData(text("still reliable"), ordered: true)], .open),
        ]),
        DCEPChannelScript(name: "an OPEN arrives on the stream we are opening", steps: [
            opening(reliable),
            step(.receivedOpen(reliable), [.error(.openOnStreamInUse)], .awaitingAck),
            step(.receivedAck, [.stateChanged(.open)], .open),
        ]),
    ]

    static let strayData = [
        DCEPChannelScript(name: "a message arrives before any OPEN", steps: [
            step(.receivedData(text("who?")), [.error(.dataWithoutChannel)], .idle),
        ]),
        DCEPChannelScript(name: "a message arrives after the peer reset its side", steps: [
            accepting(reliable),
            step(.incomingStreamReset, [.resetOutgoingStream, .stateChanged(.closing)], .closing),
            step(.receivedData(text("ghost")), [.error(.dataWithoutChannel)], .closing),
            step(.outgoingResetDone, [.stateChanged(.closed)], .closed),
            step(.receivedData(text("ghost")), [.error(.dataWithoutChannel)], .closed),
        ]),
    ]

    static let badCommand = [
        DCEPChannelScript(name: "the application sends before opening, then opens twice", steps: [
            step(.appSend(text("too early")), [.error(.invalidCommand)], .idle),
            opening(reliable),
            step(.openRequested(reliable), [.error(.invalidCommand)], .awaitingAck),
        ]),
        DCEPChannelScript(name: "the application sends on a closed channel", steps: [
            step(.closeRequested, [.stateChanged(.closed)], .closed),
            step(.appSend(text("gone")), [.error(.invalidCommand)], .closed),
        ]),
    ]
}

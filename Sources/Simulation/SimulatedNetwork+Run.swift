import Wire

/// A datagram in flight on one hop.
struct Transit {
    var packet: PacketID
    var datagram: Datagram
    var from: Int
    var to: Int
    /// The realm the hop runs in (tells a gateway which side the datagram came from).
    var realm: Int
    var departed: Instant
    /// Middlebox crossings left before the packet is dropped as `.hopLimit`.
    var ttl: Int
}

/// What the event queue holds.
enum PendingEvent {
    case arrival(Transit)
    case timer(slot: Int, generation: Int)
    case action(() -> Void)
}

extension SimulatedNetwork {
    // MARK: Running

    /// Processes every event scheduled at or before `deadline`, then sets the clock to
    /// `deadline` (even if nothing happened, so later sends start from there).
    public func run(until deadline: Instant) {
        while let time = queue.nextTime, time <= deadline { step() }
        if deadline > now { now = deadline }
    }

    /// Runs for `duration` of virtual time from `now`.
    public func run(for duration: Duration) { run(until: now + duration) }

    /// Processes events until none remain or the next one is after `deadline`.
    /// Returns true if the network went idle (no datagram in flight, no timer armed).
    @discardableResult
    public func runUntilIdle(notAfter deadline: Instant) -> Bool {
        while let time = queue.nextTime, time <= deadline { step() }
        return queue.isEmpty
    }

    /// Processes the single earliest event; returns false if there was none.
    @discardableResult
    public func step() -> Bool {
        guard let entry = queue.pop() else { return false }
        now = entry.time
        switch entry.payload {
        case let .arrival(transit): arrive(transit)
        case let .timer(index, generation): fireTimer(slot: index, generation: generation)
        case let .action(body): body()
        }
        return true
    }

    /// How many events (arrivals, timers, actions) are scheduled.
    public var pendingEventCount: Int { queue.count }

    // MARK: Endpoints

    /// After any call into an endpoint: send what it produced, then re-arm its timer.
    func settle(_ slot: any EndpointSlot, afterTimeoutAt woken: Instant? = nil) {
        slot.drain(now: now) { datagram in emit(datagram, from: slot) }
        let next = slot.nextTimeout
        guard next != slot.armedTimeout else { return }
        if let next, let woken, next <= woken {
            // The endpoint was just told "time is `woken`" and still wants a timeout at
            // or before it: re-arming would spin forever at one instant.
            diagnostics.append("\(now): endpoint at \(slot.addresses.first?.description ?? "?") re-armed its timer for \(next) "
                + "right after a timeout at \(woken); timer ignored")
            slot.armedTimeout = nil
            return
        }
        slot.timerGeneration += 1
        slot.armedTimeout = next
        if let next {
            queue.push(.timer(slot: slot.index, generation: slot.timerGeneration), at: max(next, now))
        }
    }

    private func fireTimer(slot index: Int, generation: Int) {
        let slot = slots[index]
        guard generation == slot.timerGeneration else { return }  // superseded by a re-arm
        slot.armedTimeout = nil
        slot.handle(.timeout(now))
        settle(slot, afterTimeoutAt: now)
    }

    /// An endpoint transmitted `datagram`.
    private func emit(_ datagram: Datagram, from slot: any EndpointSlot) {
        let packet = newPacket()
        let host = slot.host
        record(packet, .sent(datagram, host: nodes[host].name))
        guard slot.addresses.contains(datagram.source) else {
            return record(packet, .dropped(datagram, reason: .sourceNotBound, at: nodes[host].name, hop: nil))
        }
        for index in rules.indices where rules[index].drops(datagram, at: now) {
            let reason = DropReason.scripted(rule: rules[index].rule.name)
            return record(packet, .dropped(datagram, reason: reason, at: nodes[host].name, hop: nil))
        }
        guard case let .host(realm) = nodes[host].kind else { return }
        forward(packet, datagram, from: host, in: realm, ttl: hopLimit)
    }

    // MARK: Routing and links

    /// Sends `datagram` from `node` toward its destination within `realm`.
    private func forward(_ packet: PacketID, _ datagram: Datagram, from node: Int, in realm: Int, ttl: Int) {
        guard ttl > 0 else {
            return record(packet, .dropped(datagram, reason: .hopLimit, at: nodes[node].name, hop: nil))
        }
        let next: Int
        if let owner = realms[realm].routes[datagram.destination.ip] {
            next = owner
        } else if let gateway = realms[realm].gateway {
            next = gateway  // not here: up and out through this realm's middlebox
        } else {
            return record(packet, .dropped(datagram, reason: .noRoute, at: nodes[node].name, hop: nil))
        }
        let transit = Transit(packet: packet, datagram: datagram, from: node, to: next, realm: realm,
                              departed: now, ttl: ttl)
        cross(transit, conditions: conditions(from: node, to: next, in: realm))
    }

    private func conditions(from: Int, to: Int, in realm: Int) -> LinkConditions {
        if let explicit = links[LinkKey(from: from, to: to)] { return explicit }
        return from == to ? .perfect : realms[realm].conditions  // loopback/hairpin is instant
    }

    /// Applies a link's MTU, loss, latency and duplication to one datagram.
    private func cross(_ transit: Transit, conditions: LinkConditions) {
        let hop = Hop(from: nodes[transit.from].name, to: nodes[transit.to].name, departed: now)
        let size = LinkConditions.ipPacketSize(of: transit.datagram)
        guard size <= conditions.mtu else {
            let reason = DropReason.tooBig(size: size, mtu: conditions.mtu)
            return record(transit.packet, .dropped(transit.datagram, reason: reason, at: hop.from, hop: hop))
        }
        if isStreamSegment(transit.datagram) {
            // TCP: retransmission hides loss (only as delay, not modelled) and bytes arrive in order, once.
            let key = StreamHopKey(from: transit.from, to: transit.to, source: transit.datagram.source,
                                   destination: transit.datagram.destination)
            let arrival = max(now + conditions.sampleLatency(using: &random), streamArrivals[key] ?? now)
            streamArrivals[key] = arrival
            return queue.push(.arrival(transit), at: arrival)
        }
        if conditions.loss > 0, random.chance(conditions.loss) {
            return record(transit.packet, .dropped(transit.datagram, reason: .loss, at: hop.from, hop: hop))
        }
        queue.push(.arrival(transit), at: now + conditions.sampleLatency(using: &random))
        if conditions.duplication > 0, random.chance(conditions.duplication) {
            var copy = transit
            copy.packet = newPacket()
            record(copy.packet, .duplicated(copy.datagram, original: transit.packet, hop: hop))
            queue.push(.arrival(copy), at: now + conditions.sampleLatency(using: &random))
        }
    }

    /// A datagram reached the end of a hop.
    private func arrive(_ transit: Transit) {
        let hop = Hop(from: nodes[transit.from].name, to: nodes[transit.to].name, departed: transit.departed)
        let datagram = transit.datagram
        switch nodes[transit.to].kind {
        case .host:
            guard let index = nodes[transit.to].bindings[datagram.destination] else {
                return record(transit.packet, .dropped(datagram, reason: .noListener, at: hop.to, hop: hop))
            }
            record(transit.packet, .delivered(datagram, hop: hop))
            let slot = slots[index]
            slot.handle(.datagram(datagram, at: now))
            settle(slot)
        case let .gateway(inner):
            let direction: MiddleboxDirection = transit.realm == inner ? .outbound : .inbound
            guard var middlebox = realms[inner].middlebox, let outer = realms[inner].parent else { return }
            realms[inner].middlebox = nil  // keep the box uniquely referenced: no copy-on-write of its tables
            var context = MiddleboxContext(now: now, name: hop.to, random: random,
                                           isStreamSegment: isStreamSegment(datagram))
            let verdict = middlebox.process(datagram, direction, context: &context)
            random = context.random
            realms[inner].middlebox = middlebox
            switch verdict {
            case let .forward(rewritten):
                record(transit.packet, .forwarded(rewritten, original: datagram, by: hop.to, direction: direction, hop: hop))
                forward(transit.packet, rewritten, from: transit.to, in: direction == .outbound ? outer : inner,
                        ttl: transit.ttl - 1)
            case let .drop(reason):
                let why = DropReason.middlebox(name: hop.to, reason: reason)
                record(transit.packet, .dropped(datagram, reason: why, at: hop.to, hop: hop))
            }
        }
    }

    private func newPacket() -> PacketID {
        defer { nextPacket += 1 }
        return PacketID(nextPacket)
    }

    private func record(_ packet: PacketID, _ event: TraceEvent) {
        trace.entries.append(TraceEntry(time: now, packet: packet, event: event))
    }
}

import Wire

extension Trace {
    /// Draws the trace as an ASCII ladder (sequence) diagram between the named nodes.
    ///
    /// `columns` are host or middlebox names, left to right. Each row is one packet
    /// moving from one column to the next column it reached (middleboxes that are not
    /// columns are skipped over), or being dropped after leaving a column. Rows are in
    /// order of departure; the gutter shows when the packet left and when it arrived
    /// (or was dropped). Packets never seen at a column are omitted.
    ///
    /// ```
    ///   sent ms     at ms  alice                   bob
    ///                      |                       |
    ///     0.000     0.000  |-- #1 8 B -------X     |  dropped: scripted (first)
    ///   500.000   550.000  |-- #2 8 B ------------>|
    ///   550.000   600.000  |<-- #3 8 B ------------|
    /// ```
    ///
    /// - Parameters:
    ///   - columns: node names, one column each.
    ///   - spacing: characters between two columns (at least 16).
    ///   - label: the text on each arrow after the packet number (default: payload size).
    public func ladder(columns: [String], spacing: Int = 30,
                       label: (Datagram) -> String = { "\($0.payload.count) B" }) -> String {
        let rows = ladderRows(columns: columns, label: label)
        let spacing = max(spacing, 16)
        let gutter = 21
        let width = gutter + max(columns.count - 1, 0) * spacing + 1
        func x(_ column: Int) -> Int { gutter + column * spacing }

        var header = Array("  sent ms     at ms".padding(to: width + (columns.last?.count ?? 0)))
        for (column, name) in columns.enumerated() {
            let room = column == columns.count - 1 ? name.count : spacing - 1
            for (offset, character) in name.prefix(room).enumerated() where x(column) + offset < header.count {
                header[x(column) + offset] = character
            }
        }
        var blank = Array(String(repeating: " ", count: width))
        for column in columns.indices { blank[x(column)] = "|" }
        var lines = [String(header).trimmedRight, String(blank).trimmedRight]

        for row in rows {
            var line = blank
            let from = x(row.from), to = x(row.to)
            let step = to >= from ? 1 : -1
            let end = row.dropped == nil ? to - step : from + (to - from) * 3 / 4  // a drop stops short of the target
            for position in stride(from: from + step, through: end, by: step) { line[position] = "-" }
            if row.dropped != nil {
                line[end] = "X"
            } else {
                line[end] = step > 0 ? ">" : "<"
            }
            // The label sits on the arrow, cut short (keeping a blank before the dashes) if long.
            var text = Array(" \(row.packet) \(row.label) ")
            let span = max(abs(end - from) - 4, 0)
            if text.count > span { text = Array(text.prefix(max(span - 1, 0))) + [" "] }
            let start = min(from, end) + 3
            for (offset, character) in text.prefix(span).enumerated() { line[start + offset] = character }
            var rendered = row.departed.ladderTime.leftPadded(to: 9) + " "
                + row.arrived.ladderTime.leftPadded(to: 9) + "  " + String(line[gutter...]).trimmedRight
            var notes: [String] = []
            if let original = row.copyOf { notes.append("dup of \(original)") }
            if let reason = row.dropped { notes.append("dropped: \(reason)") }
            if !notes.isEmpty { rendered += "  " + notes.joined(separator: ", ") }
            lines.append(rendered)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct LadderRow {
        var departed: Instant
        var arrived: Instant
        var from: Int
        var to: Int
        var packet: PacketID
        var label: String
        var copyOf: PacketID?
        var dropped: DropReason?
        var order: Int
    }

    /// Follows each packet from column to column (see `ladder`).
    func ladderRows(columns: [String], label: (Datagram) -> String) -> [LadderRow] {
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() where index[name] == nil { index[name] = position }
        // Which column owns an IP, learnt from what column hosts sent and received:
        // it tells which way to draw a drop whose destination column is unknown.
        var owner: [IPAddress: Int] = [:]
        var last: [PacketID: (column: Int, time: Instant)] = [:]
        var copyOf: [PacketID: PacketID] = [:]
        var rows: [LadderRow] = []

        func arrow(_ packet: PacketID, to column: Int, at time: Instant, _ datagram: Datagram) {
            guard let start = last[packet] else { return }
            last[packet] = (column, time)
            guard start.column != column else { return }
            rows.append(LadderRow(departed: start.time, arrived: time, from: start.column, to: column,
                                  packet: packet, label: label(datagram), copyOf: copyOf[packet],
                                  order: rows.count))
        }

        for entry in entries {
            switch entry.event {
            case let .sent(datagram, host):
                guard let column = index[host] else { continue }
                owner[datagram.source.ip] = column
                last[entry.packet] = (column, entry.time)
            case let .duplicated(_, original, _):
                copyOf[entry.packet] = original
                last[entry.packet] = last[original]
            case let .forwarded(datagram, _, by, _, _):
                if let column = index[by] { arrow(entry.packet, to: column, at: entry.time, datagram) }
            case let .delivered(datagram, hop):
                guard let column = index[hop.to] else { continue }
                owner[datagram.destination.ip] = column
                arrow(entry.packet, to: column, at: entry.time, datagram)
            case let .dropped(datagram, reason, _, hop):
                guard let start = last[entry.packet] else { continue }
                let neighbour = start.column + 1 < columns.count ? start.column + 1 : start.column - 1
                var toward = hop.flatMap { index[$0.to] } ?? owner[datagram.destination.ip] ?? neighbour
                if toward == start.column { toward = neighbour }
                guard toward >= 0, toward != start.column else { continue }
                rows.append(LadderRow(departed: start.time, arrived: entry.time, from: start.column, to: toward,
                                      packet: entry.packet, label: label(datagram), copyOf: copyOf[entry.packet],
                                      dropped: reason, order: rows.count))
            }
        }
        return rows.sorted { ($0.departed, $0.order) < ($1.departed, $1.order) }
    }
}

extension Instant {
    /// Milliseconds with three decimals, e.g. `1500.000`, without Foundation.
    var ladderTime: String {
        let micros = nanoseconds / 1_000
        let sign = micros < 0 ? "-" : ""
        let whole = abs(micros) / 1_000, fraction = abs(micros) % 1_000
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}

extension String {
    func padding(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }

    var trimmedRight: String {
        var copy = Substring(self)
        while copy.last == " " { copy = copy.dropLast() }
        return String(copy)
    }
}

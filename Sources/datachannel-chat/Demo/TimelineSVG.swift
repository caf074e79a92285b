import Foundation

/// Draws the demo's setup as an SVG picture: one lane per pair, the ten
/// lifecycle steps as coloured spans on one shared time axis, so a student sees
/// at a glance which steps are waiting on the network and which overlap.
///
/// Each lane has three rows: signaling on top (token, WebSocket, register, offer,
/// answer), the trickled candidates in the middle, transport below (ICE, DTLS,
/// SCTP, channel open). Candidates overlap both the answer and the ICE checks;
/// on a row of their own the overlap shows instead of hiding a step.
enum TimelineSVG {
    /// A colour per step, chosen to stay apart for the common colour-vision deficiencies
    /// (Okabe-Ito palette plus two greys).
    static let colours: [String: String] = [
        "token": "#999999", "websocket": "#666666", "register": "#56B4E9", "offer": "#E69F00", "answer": "#F0E442",
        "candidates": "#CC79A7", "ice": "#0072B2", "dtls": "#D55E00", "sctp": "#009E73", "channel_open": "#000000",
    ]
    /// The row of each step within a lane.
    static func row(of step: String) -> Int {
        switch step {
        case "token", "websocket", "register", "offer", "answer": return 0
        case "candidates": return 1
        default: return 2
        }
    }

    /// The SVG document for `pairs` (in lane order), titled with `title`.
    static func render(pairs: [PairSpans], title: String) -> String {
        let left = 150.0, right = 30.0, top = 70.0, laneHeight = 40.0, rowHeight = 10.0, width = 1000.0
        let end = max(1, pairs.flatMap { $0.spans.map(\.endMS) }.max() ?? 1)
        let plot = width - left - right
        let height = top + Double(pairs.count) * laneHeight + 70
        func x(_ ms: Double) -> Double { left + ms / end * plot }
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(left)" y="22" font-size="15" font-weight="bold">\(escape(title))</text>
        <text x="\(left)" y="40" fill="#555">one lane per pair (offerer → answerer), three rows: signaling, \
        candidates, transport; time from the first token request</text>

        """
        // Grid: about eight ticks at a round step.
        let step = niceStep(end / 8)
        var tick = 0.0
        while tick <= end + step / 2 {
            let tx = x(min(tick, end))
            svg += "<line x1=\"\(f(tx))\" y1=\"\(f(top - 6))\" x2=\"\(f(tx))\" y2=\"\(f(top + Double(pairs.count) * laneHeight))\" stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(f(tx))\" y=\"\(f(top - 10))\" text-anchor=\"middle\" fill=\"#555\">\(step >= 1 ? String(format: "%.0f", tick) : label(tick)) ms</text>\n"
            tick += step
        }
        for (index, pair) in pairs.enumerated() {
            let laneTop = top + Double(index) * laneHeight
            if index % 2 == 1 {
                svg += "<rect x=\"0\" y=\"\(f(laneTop))\" width=\"\(Int(width))\" height=\"\(f(laneHeight))\" fill=\"#f6f6f6\"/>\n"
            }
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(laneTop + laneHeight / 2 + 4))\" text-anchor=\"end\">"
                + "\(escape(pair.offerer)) → \(escape(pair.answerer))</text>\n"
            for span in pair.spans {
                let y = laneTop + 4 + Double(row(of: span.step)) * (rowHeight + 2)
                let w = max(1.5, x(span.endMS) - x(span.startMS))
                svg += "<rect x=\"\(f(x(span.startMS)))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(rowHeight))\" "
                    + "fill=\"\(colours[span.step] ?? "#888")\">"
                    + "<title>\(escape(pair.offerer)) → \(escape(pair.answerer)): \(span.step) "
                    + "\(label(span.durationMS)) ms (\(label(span.startMS))–\(label(span.endMS)))</title></rect>\n"
            }
        }
        // Legend.
        let legendTop = top + Double(pairs.count) * laneHeight + 22
        for (index, step) in DemoReport.stepNames.enumerated() {
            let lx = left + Double(index % 5) * 160
            let ly = legendTop + Double(index / 5) * 18
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 9))\" width=\"12\" height=\"12\" fill=\"\(colours[step] ?? "#888")\"/>"
            svg += "<text x=\"\(f(lx + 17))\" y=\"\(f(ly + 1))\">\(index + 1). \(step.replacingOccurrences(of: "_", with: " "))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for factor in [1.0, 2, 5, 10] where power * factor >= raw { return power * factor }
        return power * 10
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func label(_ ms: Double) -> String {
        ms >= 100 ? String(format: "%.0f", ms) : ms >= 10 ? String(format: "%.1f", ms) : String(format: "%.2f", ms)
    }

    /// XML text escaping: agent names come from the command line.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

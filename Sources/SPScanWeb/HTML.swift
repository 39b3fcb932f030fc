import Foundation
import SPScanCoverage
import SPScanModel

/// The pieces every page is built from. Everything that came from a fetched document or a user goes through
/// `HTML.text` (element content and quoted attributes), so that a page title `<script>` shows as text.
enum HTML {
    static func text(_ value: String) -> String { Escaping.html(value) }

    /// The whole passage with each matched span in `<mark>` and its blocks on lines of their own, as the report
    /// shows it.
    static func highlighted(_ text: String, spans: [Span]) -> String {
        Report.highlighted(text, spans: spans, window: nil)
    }

    /// A search snippet with its matched words in `<mark>`.
    static func snippet(_ snippet: String, _ highlights: [Highlight]) -> String {
        Highlight.render(snippet, highlights, open: "<mark>", close: "</mark>", escape: text)
    }

    /// A heatmap cell's colours: light to dark blue as the value grows, with the text colour that keeps a
    /// contrast of at least 4.5:1 on each (colour is never the only signal: the number is written too).
    static func heat(_ intensity: Double) -> String {
        let clamped = max(0, min(1, intensity.isFinite ? intensity : 0))
        let lightness = Int((97 - clamped * 67).rounded())
        let ink = lightness <= 48 ? "#fff" : "#111"
        return "background:hsl(210,65%,\(lightness)%);color:\(ink)"
    }

    static func options(_ values: [(value: String, label: String)], selected: Set<String>, any: String?) -> String {
        var html = any.map { "<option value=\"\">\(text($0))</option>" } ?? ""
        for (value, label) in values {
            let chosen = selected.contains(value) ? " selected" : ""
            html += "<option value=\"\(text(value))\"\(chosen)>\(text(label))</option>"
        }
        return html
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "–" }
        return text(
            ISO8601DateFormatter.string(
                from: date, timeZone: TimeZone(identifier: "UTC") ?? .current, formatOptions: [.withInternetDateTime])
        )
        .replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    static func score(_ value: Double) -> String { String(format: "%.2f", value) }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The page around `body`: navigation with the search box, the sample banner when it applies, and the
    /// styles inline so that the page needs nothing else from the network.
    static func page(title: String, body: String, sample: Bool, query: String = "") -> String {
        let banner =
            sample
            ? "<p class=\"banner\" role=\"note\"><strong>Sample data:</strong> some documents in this catalog are authored "
                + "samples, not captures of real pages; figures that include them do not describe real training.</p>\n"
            : ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(text(title)) · spscan</title>
            <style>\(style)</style>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <nav aria-label="Main"><a href="/">Coverage matrix</a> <a href="/gaps">Gaps</a> <a href="/competencies">Competencies</a> <a href="/scans">Scans</a></nav>
            <form role="search" method="get" action="/search">
            <label for="q">Search competencies and passages</label>
            <input id="q" name="q" type="search" value="\(text(query))" placeholder="e.g. motivational interviewing">
            <button type="submit">Search</button>
            </form>
            </header>
            \(banner)<main id="main">
            <h1>\(text(title))</h1>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:0 1.5rem 2rem;color:#111;background:#fff;line-height:1.45}
        header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;padding:.6rem 0;border-bottom:1px solid #999}
        nav a{margin-right:1rem;font-weight:600}
        a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus{outline:3px solid #c60;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}
        .banner{background:#fff3c4;border:2px solid #8a6d00;padding:.6rem;margin:.8rem 0}
        table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}
        td.num,td.heat{text-align:right;font-variant-numeric:tabular-nums}td.heat a{color:inherit}
        caption{text-align:left;font-weight:600;padding:.3rem 0}thead th{white-space:nowrap}
        .scroll{overflow-x:auto;max-width:100%}
        .matrix{overflow:auto;max-height:80vh;border:1px solid #bbb;position:relative}.matrix table{margin:0}
        table.heatmap{border-collapse:separate;border-spacing:0}table.heatmap th,table.heatmap td{border:0;border-right:1px solid #bbb;border-bottom:1px solid #bbb}
        table.heatmap caption{position:sticky;left:0}
        table.heatmap thead th{position:sticky;top:0;z-index:2;background:#f1f3f5}
        table.heatmap tbody th,table.heatmap tfoot th{position:sticky;left:0;z-index:1;background:#fff;min-width:9rem;max-width:15rem;white-space:normal}
        table.heatmap thead th.corner{left:0;z-index:3}
        td.heat a{display:block;text-decoration:none}
        td.gap{background:repeating-linear-gradient(135deg,#fff 0 5px,#dcdcdc 5px 7px);outline:2px dashed #666;outline-offset:-4px;color:#333}
        .hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        nav.tabs{display:flex;gap:.3rem;margin:1rem 0 .5rem;border-bottom:2px solid #0b4f9c}
        nav.tabs a{padding:.3rem .8rem;border:1px solid #888;border-bottom:0;border-radius:4px 4px 0 0;text-decoration:none}
        nav.tabs a[aria-current]{background:#0b4f9c;color:#fff}
        svg.bubbles{display:block;max-width:none}
        main{overflow-wrap:anywhere}fieldset{min-width:0;max-width:100%;box-sizing:border-box}fieldset>div{min-width:0;max-width:100%}select,input{max-width:100%;box-sizing:border-box}
        @media (max-width:40rem){body{margin:0 .6rem 2rem}table:not(.heatmap){display:block;overflow-x:auto;max-width:100%}}
        @media print{header,nav.tabs,form{display:none}.matrix{overflow:visible;max-height:none;border:0}
        td.heat,td.gap{-webkit-print-color-adjust:exact;print-color-adjust:exact}table.heatmap thead th,table.heatmap tbody th{position:static}}
        fieldset{border:1px solid #888;display:flex;flex-wrap:wrap;gap:.8rem;align-items:end}
        label{display:block;font-size:.9rem;font-weight:600}select,input,button{font:inherit;padding:.2rem .4rem}
        button{cursor:pointer;border:1px solid #333;border-radius:3px;background:#eee;color:#111}
        button.accept{background:#d8f0d8}button.reject{background:#f6d9d9}button.clear{background:#fff}
        ul.rejected del{color:#555}form.reviewer fieldset{display:flex}
        mark{background:#ffe066;color:#111;padding:0 .1em}
        .evidence{border-left:4px solid #0b4f9c;padding-left:.7rem;margin:.4rem 0 1rem}
        .muted{color:#444}dl.facets{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facets dt{font-weight:600}
        ol.gaps li{margin:.35rem 0}ol.gaps .kind{display:inline-block;min-width:11rem;font-size:.8em;text-transform:uppercase;\
        letter-spacing:.03em;color:#444}.near{margin:.1rem 0 0 11.3rem;font-size:.9rem;color:#333}
        @media (max-width:40rem){ol.gaps .kind{display:block}.near{margin-left:0}}
        .review{display:inline}.problem{border:2px solid #a00;padding:.6rem}
        """
}

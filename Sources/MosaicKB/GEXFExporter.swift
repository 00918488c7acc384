import Foundation
import MosaicGraph

/// Writes a graph as GEXF 1.3 (`mosaic export --format gexf`) for Gephi: one node per entity,
/// one edge per fact, valid time as `start`/`end` (days; a partial date spans its month or
/// year) so Gephi's timeline plays the facts, an event's or article's `date` as its node's
/// time, and attributes for type, name, grade, confidence, corroboration, disputed, sources.
public struct GEXFExporter {
    public let graph: Graph
    public init(graph: Graph) { self.graph = graph }

    static func xml(_ s: String) -> String {
        var o = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": o += "&amp;"; case "<": o += "&lt;"; case ">": o += "&gt;"; case "\"": o += "&quot;"
            case "\n": o += "&#10;"
            default:
                // XML 1.0 forbids most control characters.
                if c.value < 0x20 && c != "\t" { continue }
                o.unicodeScalars.append(c)
            }
        }
        return o
    }

    /// The first and last day of a partial date (`2025-10` → 2025-10-01, 2025-10-31).
    static func days(_ d: PartialDate) -> (first: String, last: String) {
        func day(_ seconds: Int64) -> String {
            let p = PartialDate(seconds: seconds, precision: .day)
            return String(p.description.prefix(10))
        }
        return (day(d.seconds), day(max(d.seconds, d.end - 1)))
    }

    public func document() -> String {
        let g = graph
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
              <meta>
                <creator>Mosaic</creator>
                <description>Entities and facts of a Mosaic knowledge base; valid time as start/end</description>
              </meta>
              <graph mode="dynamic" defaultedgetype="directed" timeformat="date" timerepresentation="interval">
                <attributes class="node" mode="static">
                  <attribute id="type" title="type" type="string"/>
                  <attribute id="labels" title="labels" type="string"/>
                  <attribute id="aliases" title="aliases" type="string"/>
                  <attribute id="description" title="description" type="string"/>
                </attributes>
                <attributes class="edge" mode="static">
                  <attribute id="type" title="type" type="string"/>
                  <attribute id="since" title="since" type="string"/>
                  <attribute id="until" title="until" type="string"/>
                  <attribute id="grade" title="grade" type="string"/>
                  <attribute id="confidence" title="confidence" type="double"/>
                  <attribute id="corroboration" title="corroboration" type="integer"/>
                  <attribute id="claims" title="claims" type="integer"/>
                  <attribute id="disputed" title="disputed" type="boolean"/>
                  <attribute id="sources" title="sources" type="string"/>
                  <attribute id="derived" title="derived" type="boolean"/>
                </attributes>
                <nodes>

            """
        func attr(_ k: String, _ v: String) -> String { "<attvalue for=\"\(k)\" value=\"\(GEXFExporter.xml(v))\"/>" }
        for i in g.nodeIndices {
            let n = g.node(i)
            var time = ""
            if let d = n.property("date")?.dateValue {
                let (a, b) = GEXFExporter.days(d)
                time = " start=\"\(a)\" end=\"\(b)\""
            }
            out += "      <node id=\"\(GEXFExporter.xml(n.key))\" label=\"\(GEXFExporter.xml(n.name ?? n.key))\"\(time)><attvalues>"
            out += attr("type", n.type)
            if n.labels.count > 1 { out += attr("labels", n.labels.dropFirst().joined(separator: ";")) }
            if !n.aliases.isEmpty { out += attr("aliases", n.aliases.joined(separator: ";")) }
            if let d = n.property("description")?.stringValue { out += attr("description", d) }
            out += "</attvalues></node>\n"
        }
        out += "    </nodes>\n    <edges>\n"
        var names = Interop.UniqueNames()
        let facts = g.relationshipIndices.map { ($0, Interop.factKey(g, $0)) }.sorted { $0.1 < $1.1 }
        for (r, key) in facts {
            let rel = g.relationship(r)
            let v = g.validity(ofFact: r)
            var time = ""
            if let f = v.from { time += " start=\"\(GEXFExporter.days(f).first)\"" }
            if let t = v.to { time += " end=\"\(GEXFExporter.days(t).last)\"" }
            let eid = names.make("f" + Interop.sha1Hex(key).prefix(12))
            let type = g.typeName(of: r)
            out += "      <edge id=\"\(eid)\" source=\"\(GEXFExporter.xml(g.node(rel.source).key))\" target=\"\(GEXFExporter.xml(g.node(rel.target).key))\" label=\"\(GEXFExporter.xml(type))\"\(time)><attvalues>"
            out += attr("type", type)
            if let f = v.from { out += attr("since", f.description) }
            if let t = v.to { out += attr("until", t.description) }
            if let grade = g.grading(ofFact: r) { out += attr("grade", grade.description) }
            out += attr("confidence", Value.formatFloat(g.confidence(ofFact: r)))
            out += attr("corroboration", String(g.corroboration(ofFact: r)))
            out += attr("claims", String(g.claims(ofFact: r).count))
            out += attr("disputed", g.isDisputed(r) ? "true" : "false")
            let sources = Array(Set(g.citations(ofFact: r).map(\.citation.source))).sorted()
            if !sources.isEmpty { out += attr("sources", sources.joined(separator: ";")) }
            out += attr("derived", g.origin(ofRelationship: r).isDerived ? "true" : "false")
            out += "</attvalues></edge>\n"
        }
        return out + "    </edges>\n  </graph>\n</gexf>\n"
    }
}

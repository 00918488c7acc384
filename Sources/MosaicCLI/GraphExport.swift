import Foundation
import MosaicGraph

/// Writes a graph in interchange formats: JSON (one document), JSON Lines (re-importable
/// with `mosaic import`), GraphML and Graphviz dot. Statement metadata goes along.
enum GraphExport {
    static func nodeValue(_ g: Graph, _ i: Int32) -> Value {
        let n = g.node(i)
        var m: [String: Value] = ["id": .string(n.key), "type": .string(n.type)]
        if let name = n.name { m["name"] = .string(name) }
        if n.labels.count > 1 { m["labels"] = .list(n.labels.dropFirst().map(Value.string)) }
        if !n.aliases.isEmpty { m["aliases"] = .list(n.aliases.map(Value.string)) }
        let props = n.properties.filter { $0.key != "name" && $0.key != "aliases" }
        if !props.isEmpty { m["props"] = .map(props) }
        return .map(m)
    }

    static func relationValue(_ g: Graph, _ r: Int32) -> Value {
        let rel = g.relationship(r)
        let meta = g.meta(ofRelationship: r)
        var m: [String: Value] = ["src": .string(g.node(rel.source).key), "dst": .string(g.node(rel.target).key),
                                  "type": .string(g.typeName(of: r)), "statement": .int(rel.statement)]
        if let f = meta.validFrom { m["since"] = .string(f.description) }
        if let t = meta.validTo { m["until"] = .string(t.description) }
        if let gr = meta.grading { m["grade"] = .string(gr.description) }
        if let c = meta.confidence { m["confidence"] = .float(c) }
        if !meta.sources.isEmpty {
            m["sources"] = .list(meta.sources.map { c in c.note == nil ? .string(c.source) : .map(["id": .string(c.source), "note": .string(c.note!)]) })
            if meta.sources.count == 1 { m["source"] = .string(meta.sources[0].source) }
        }
        m["origin"] = .string(meta.origin.description)
        let props = g.properties(ofRelationship: r)
        if !props.isEmpty { m["props"] = .map(props) }
        return .map(m)
    }

    static func json(_ g: Graph) -> String {
        JSONText.pretty(.map([
            "transaction": .int(g.transaction),
            "entities": .list(g.nodeIndices.map { nodeValue(g, $0) }),
            "relations": .list(g.relationshipIndices.map { relationValue(g, $0) }),
        ])) + "\n"
    }

    static func jsonLines(_ g: Graph) -> String {
        var out = ""
        for i in g.nodeIndices { out += JSONText.compact(nodeValue(g, i)) + "\n" }
        for r in g.relationshipIndices {
            guard case .map(var m) = relationValue(g, r) else { continue }
            m["statement"] = nil
            m["origin"] = nil
            m["sources"] = nil
            out += JSONText.compact(.map(m)) + "\n"
        }
        return out
    }

    static func xml(_ s: String) -> String {
        var o = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": o += "&amp;"; case "<": o += "&lt;"; case ">": o += "&gt;"; case "\"": o += "&quot;"
            default: o.unicodeScalars.append(c)
            }
        }
        return o
    }

    static func graphML(_ g: Graph) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
              <key id="type" for="node" attr.name="type" attr.type="string"/>
              <key id="name" for="node" attr.name="name" attr.type="string"/>
              <key id="props" for="node" attr.name="props" attr.type="string"/>
              <key id="rtype" for="edge" attr.name="type" attr.type="string"/>
              <key id="since" for="edge" attr.name="since" attr.type="string"/>
              <key id="until" for="edge" attr.name="until" attr.type="string"/>
              <key id="grade" for="edge" attr.name="grade" attr.type="string"/>
              <key id="confidence" for="edge" attr.name="confidence" attr.type="double"/>
              <key id="sources" for="edge" attr.name="sources" attr.type="string"/>
              <graph id="mosaic" edgedefault="directed">

            """
        for i in g.nodeIndices {
            let n = g.node(i)
            out += "    <node id=\"\(xml(n.key))\"><data key=\"type\">\(xml(n.labels.joined(separator: ":")))</data>"
            if let name = n.name { out += "<data key=\"name\">\(xml(name))</data>" }
            let props = n.properties.filter { $0.key != "name" }
            if !props.isEmpty { out += "<data key=\"props\">\(xml(JSONText.compact(.map(props))))</data>" }
            out += "</node>\n"
        }
        for r in g.relationshipIndices {
            let rel = g.relationship(r)
            let meta = g.meta(ofRelationship: r)
            out += "    <edge id=\"s\(rel.statement)\" source=\"\(xml(g.node(rel.source).key))\" target=\"\(xml(g.node(rel.target).key))\">"
            out += "<data key=\"rtype\">\(xml(g.typeName(of: r)))</data>"
            if let f = meta.validFrom { out += "<data key=\"since\">\(f)</data>" }
            if let t = meta.validTo { out += "<data key=\"until\">\(t)</data>" }
            if let gr = meta.grading { out += "<data key=\"grade\">\(gr)</data>" }
            out += "<data key=\"confidence\">\(meta.effectiveConfidence)</data>"
            if !meta.sources.isEmpty { out += "<data key=\"sources\">\(xml(meta.sources.map(\.source).joined(separator: " ")))</data>" }
            out += "</edge>\n"
        }
        return out + "  </graph>\n</graphml>\n"
    }

    static func dotID(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func dot(_ g: Graph) -> String {
        var out = "digraph mosaic {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n"
        for i in g.nodeIndices {
            let n = g.node(i)
            out += "  \(dotID(n.key)) [label=\(dotID("\(n.name ?? n.key)\n\(n.type)"))];\n"
        }
        for r in g.relationshipIndices {
            let rel = g.relationship(r)
            var label = g.typeName(of: r)
            if let f = rel.validFrom { label += "\n\(f == rel.validTo ? "" : "since ")\(f)" }
            let style = g.origin(ofRelationship: r).isDerived ? ", style=dashed" : ""
            out += "  \(dotID(g.node(rel.source).key)) -> \(dotID(g.node(rel.target).key)) [label=\(dotID(label))\(style)];\n"
        }
        return out + "}\n"
    }
}

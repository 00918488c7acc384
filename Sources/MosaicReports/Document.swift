// MosaicReports: the document model of a briefing (blocks, inline runs, citations) and its
// renderers to Markdown, self-contained HTML (with a Graphviz diagram when `dot` exists) and
// JSON; and result tables (query results) rendered as terminal tables, CSV, JSON and lines.
// Uses only Foundation; it does not read the store or run Lua. Values here are plain and
// Sendable so the Lua plugin bridge can build them field by field.
import Foundation

/// A report document: what a report function builds and the renderers print.
public struct Document: Sendable, Codable, Hashable {
    public var title: String
    public var metadata: DocumentMetadata
    public var blocks: [Block]
    /// Citations by key; inline `.citation(key)` markers point into this table.
    public var citations: [CitationEntry]

    public init(title: String, metadata: DocumentMetadata = DocumentMetadata(),
                blocks: [Block] = [], citations: [CitationEntry] = []) {
        self.title = title
        self.metadata = metadata
        self.blocks = blocks
        self.citations = citations
    }

    /// The citation registered under `key`, if any.
    public func citation(forKey key: String) -> Citation? {
        citations.first { $0.key == key }?.citation
    }
}

/// Where and when a document was produced. Every field is optional so a document built by
/// hand (or in a test) needs none; `generatedAt` is kept as an ISO 8601 text so the bytes
/// of a rendering depend on nothing but the document.
public struct DocumentMetadata: Sendable, Codable, Hashable {
    /// When the document was generated, ISO 8601 (e.g. `2025-10-30T06:00:00Z`).
    public var generatedAt: String?
    /// The KB transaction the report read.
    public var transaction: Int64?
    /// The as-of time the report read at, if not "now".
    public var asOf: String?
    public var plugin: String?
    public var pluginVersion: String?
    public var report: String?
    public var reportVersion: String?

    public init(generatedAt: String? = nil, transaction: Int64? = nil, asOf: String? = nil,
                plugin: String? = nil, pluginVersion: String? = nil,
                report: String? = nil, reportVersion: String? = nil) {
        self.generatedAt = generatedAt
        self.transaction = transaction
        self.asOf = asOf
        self.plugin = plugin
        self.pluginVersion = pluginVersion
        self.report = report
        self.reportVersion = reportVersion
    }

    /// Formats a date as the ISO 8601 text stored in `generatedAt` (UTC, whole seconds).
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// True when no field is set.
    public var isEmpty: Bool {
        generatedAt == nil && transaction == nil && asOf == nil && plugin == nil
            && pluginVersion == nil && report == nil && reportVersion == nil
    }
}

/// A citation registered in a document under a key (`c1`, `c2`, … from the builder).
public struct CitationEntry: Sendable, Codable, Hashable {
    public var key: String
    public var citation: Citation
    public init(key: String, citation: Citation) {
        self.key = key
        self.citation = citation
    }
}

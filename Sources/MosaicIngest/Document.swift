import Foundation
import MosaicGraph
import Yams

/// What a document says about itself (front matter) or the command line supplies.
public struct DocumentMetadata: Sendable, Hashable {
    public var title: String?
    public var publisher: String?
    /// The publication date as written (`2025-10-30`, `2025-10`, …; a partial date).
    public var date: String?
    public var url: String?
    public var language: String?
    /// The outlet's usual reliability, A–F.
    public var reliability: String?
    public init(title: String? = nil, publisher: String? = nil, date: String? = nil, url: String? = nil,
                language: String? = nil, reliability: String? = nil) {
        self.title = title; self.publisher = publisher; self.date = date; self.url = url
        self.language = language; self.reliability = reliability
    }
    /// `other`'s fields where it has them, else these.
    public func overridden(by other: DocumentMetadata) -> DocumentMetadata {
        DocumentMetadata(title: other.title ?? title, publisher: other.publisher ?? publisher, date: other.date ?? date,
                         url: other.url ?? url, language: other.language ?? language, reliability: other.reliability ?? reliability)
    }
    public var publishedDate: PartialDate? { date.flatMap { PartialDate($0) } }
}

/// A document read from a file: its bytes' hash, its text (the body, after any front
/// matter) and its metadata.
public struct Document: Sendable, Hashable {
    public enum Format: String, Sendable { case text = "txt", markdown = "md", html = "html" }
    public var path: String
    public var format: Format
    /// SHA-256 of the file's bytes, 64 hex digits: the document's identity.
    public var hash: String
    public var byteCount: Int
    /// The stored text: the file's UTF-8 text after the front matter (a UTF-8 byte order
    /// mark dropped); for HTML, the extracted article text (`HTMLExtractor`). Offsets of
    /// mentions and dates are UTF-8 byte offsets into it.
    public var text: String
    /// Where `text` starts in the file (bytes): the length of the BOM and front matter. 0 for
    /// HTML, whose text is extracted, not a slice of the file.
    public var bodyOffset: Int
    public var metadata: DocumentMetadata
}

/// Why a file cannot be ingested. Each is reported before anything is written.
public enum IngestError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case binary(path: String, reason: String)
    case encoding(path: String, reason: String)
    case frontMatter(path: String, line: Int, message: String)
    case unsupported(path: String, ext: String)
    case invalidMetadata(path: String, message: String)
    /// A review that cannot be done (an unknown or already reviewed proposal, a bad edit).
    case review(String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): return "\(p): cannot read the file (\(r))"
        case .empty(let p): return "\(p): the file is empty (or holds only whitespace and front matter; for HTML, no article text outside the markup); nothing to ingest"
        case .tooLarge(let p, let b, let l):
            return "\(p): the file has \(b) bytes, more than the limit of \(l) bytes (\(l / 1_000_000) MB); split it, or it is not an article"
        case .binary(let p, let r): return "\(p): a binary file, not text (\(r))"
        case .encoding(let p, let r): return "\(p): \(r); convert it to UTF-8 (iconv -f ENCODING -t UTF-8)"
        case .frontMatter(let p, let l, let m): return "\(p):\(l): front matter: \(m)"
        case .unsupported(let p, let e):
            return "\(p): cannot ingest .\(e) files (ingest reads .txt, .md and .html; save the article as one of them)"
        case .invalidMetadata(let p, let m): return "\(p): \(m)"
        case .review(let m): return m
        }
    }
}

public enum DocumentReader {
    /// The largest file ingest reads: 20 MB (a long article is 50 KB; more is a mistake).
    public static let sizeLimit = 20_000_000
    public static let metadataKeys: Set<String> = ["title", "publisher", "date", "url", "language", "reliability"]

    /// Reads and checks a file; `overrides` (command-line flags) win over its front matter.
    public static func read(path: String, overrides: DocumentMetadata = DocumentMetadata(), sizeLimit: Int = sizeLimit) throws -> Document {
        let ext = (path as NSString).pathExtension.lowercased()
        let format: Document.Format
        switch ext {
        case "txt", "text": format = .text
        case "md", "markdown": format = .markdown
        case "html", "htm", "xhtml": format = .html
        default: throw IngestError.unsupported(path: path, ext: ext)
        }
        let attrs: [FileAttributeKey: Any]
        do { attrs = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw IngestError.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file")
        }
        if let t = attrs[.type] as? FileAttributeType, t == .typeDirectory { throw IngestError.unreadable(path: path, reason: "a directory") }
        let size = (attrs[.size] as? NSNumber)?.intValue ?? 0
        if size > sizeLimit { throw IngestError.tooLarge(path: path, bytes: size, limit: sizeLimit) }
        guard let data = FileManager.default.contents(atPath: path) else { throw IngestError.unreadable(path: path, reason: "permission denied?") }
        if data.count > sizeLimit { throw IngestError.tooLarge(path: path, bytes: data.count, limit: sizeLimit) }
        return try parse(bytes: [UInt8](data), path: path, format: format, overrides: overrides)
    }

    /// Checks and splits a file's bytes (see `read`).
    public static func parse(bytes: [UInt8], path: String, format: Document.Format, overrides: DocumentMetadata = DocumentMetadata()) throws -> Document {
        if bytes.isEmpty { throw IngestError.empty(path: path) }
        // Other encodings first: their byte order marks, then UTF-16 without one (NULs).
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw IngestError.encoding(path: path, reason: "the file is UTF-16 (it starts with a UTF-16 byte order mark); ingest reads UTF-8")
        }
        if let nul = bytes.firstIndex(of: 0) {
            let zeros = bytes.prefix(4096).filter { $0 == 0 }.count
            if zeros * 3 >= min(bytes.count, 4096) && zeros > 1 {
                throw IngestError.encoding(path: path, reason: "the file looks like UTF-16 or UTF-32 (every other byte is NUL); ingest reads UTF-8")
            }
            throw IngestError.binary(path: path, reason: "a NUL byte at offset \(nul)")
        }
        var bom = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bom = 3 }
        if format == .html { return try parseHTML(bytes: bytes, path: path, overrides: overrides) }
        guard let full = String(validating: bytes[bom...], as: UTF8.self) else {
            let bad = firstInvalidUTF8(bytes, from: bom)
            throw IngestError.encoding(path: path, reason: "the file is not valid UTF-8 (the first bad byte is at offset \(bad)): an unknown encoding such as Latin-1 or Windows-1252, or a binary file")
        }
        // Control characters other than tab, line feed, carriage return and form feed: binary.
        if let c = full.unicodeScalars.first(where: { $0.value < 0x20 && ![0x09, 0x0A, 0x0D, 0x0C].contains($0.value) }) {
            throw IngestError.binary(path: path, reason: "control character U+\(String(format: "%04X", c.value))")
        }
        var text = full
        var bodyOffset = bom
        var meta = DocumentMetadata()
        if format == .markdown || full.hasPrefix("---\n") || full.hasPrefix("---\r\n") {
            if let (fm, fmLines, bodyStart) = splitFrontMatter(full) {
                meta = try parseFrontMatter(fm, path: path, lineOffset: 1)
                _ = fmLines
                text = String(full.utf8.dropFirst(bodyStart))!
                bodyOffset += bodyStart
            } else if full.hasPrefix("---\n") || full.hasPrefix("---\r\n") {
                throw IngestError.frontMatter(path: path, line: 1, message: "front matter opened with '---' is never closed (a line '---' must end it)")
            }
        }
        meta = meta.overridden(by: overrides)
        if let d = meta.date, PartialDate(d) == nil {
            throw IngestError.invalidMetadata(path: path, message: "date '\(d)' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        }
        if let r = meta.reliability, !(r.count == 1 && "ABCDEF".contains(r.uppercased())) {
            throw IngestError.invalidMetadata(path: path, message: "reliability '\(r)' is not A–F")
        }
        meta.reliability = meta.reliability?.uppercased()
        if text.allSatisfy({ $0.isWhitespace }) { throw IngestError.empty(path: path) }
        return Document(path: path, format: format, hash: SHA256.hex(bytes), byteCount: bytes.count, text: text,
                        bodyOffset: bodyOffset, metadata: meta)
    }

    /// An HTML file: the article text and the head's metadata (`HTMLExtractor`), the flags
    /// winning. UTF-8, or another character set the file declares (`<meta charset>`).
    static func parseHTML(bytes: [UInt8], path: String, overrides: DocumentMetadata) throws -> Document {
        var encoding: String? = "UTF-8"
        if String(validating: bytes, as: UTF8.self) == nil {
            // Not UTF-8: libxml2 reads a declared charset; without one the file is refused, as text is.
            let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
            guard head.contains("charset") else {
                let bad = firstInvalidUTF8(bytes, from: 0)
                throw IngestError.encoding(path: path, reason: "the file is not valid UTF-8 (the first bad byte is at offset \(bad)) and declares no charset")
            }
            encoding = nil
        }
        guard let x = HTMLExtractor.extract(bytes, encoding: encoding) else {
            throw IngestError.unreadable(path: path, reason: "libxml2 could not parse it as HTML")
        }
        var meta = x.metadata.overridden(by: overrides)
        if let d = meta.date, PartialDate(d) == nil {
            throw IngestError.invalidMetadata(path: path, message: "date '\(d)' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        }
        if let r = meta.reliability, !(r.count == 1 && "ABCDEF".contains(r.uppercased())) {
            throw IngestError.invalidMetadata(path: path, message: "reliability '\(r)' is not A–F")
        }
        meta.reliability = meta.reliability?.uppercased()
        if x.text.allSatisfy({ $0.isWhitespace }) { throw IngestError.empty(path: path) }
        return Document(path: path, format: .html, hash: SHA256.hex(bytes), byteCount: bytes.count, text: x.text,
                        bodyOffset: 0, metadata: meta)
    }

    static func firstInvalidUTF8(_ bytes: [UInt8], from: Int) -> Int {
        var lo = from, hi = bytes.count
        // The longest valid prefix, by bisection on validation (good enough for a message).
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            var end = mid
            while end > from && end < bytes.count && (bytes[end] & 0xC0) == 0x80 { end -= 1 }
            if String(validating: bytes[from..<end], as: UTF8.self) != nil { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The front matter between a first line `---` and the next line `---` (or `...`):
    /// its text, its line count, and the byte offset where the body starts.
    static func splitFrontMatter(_ s: String) -> (String, Int, Int)? {
        let u = Array(s.utf8)
        guard u.starts(with: Array("---".utf8)) else { return nil }
        var lineStart = 0
        var lines = 0
        var fmStart = -1
        while lineStart < u.count {
            var e = lineStart
            while e < u.count && u[e] != 0x0A { e += 1 }
            var line = u[lineStart..<e]
            if line.last == 0x0D { line = line.dropLast() }
            let next = min(e + 1, u.count)
            if lines == 0 {
                guard Array(line) == Array("---".utf8) else { return nil }
                fmStart = next
            } else if Array(line) == Array("---".utf8) || Array(line) == Array("...".utf8) {
                return (String(decoding: u[fmStart..<lineStart], as: UTF8.self), lines - 1, next)
            }
            lines += 1
            lineStart = next
        }
        return nil
    }

    static func parseFrontMatter(_ yaml: String, path: String, lineOffset: Int) throws -> DocumentMetadata {
        let node: Yams.Node?
        do { node = try Yams.compose(yaml: yaml) } catch let e as YamlError {
            let (line, msg) = describe(e)
            throw IngestError.frontMatter(path: path, line: line + lineOffset, message: msg)
        }
        guard let node else { return DocumentMetadata() }
        guard let map = node.mapping else {
            throw IngestError.frontMatter(path: path, line: (node.mark?.line ?? 1) + lineOffset, message: "front matter must be a mapping of title, publisher, date, url, language, reliability")
        }
        var m = DocumentMetadata()
        for (k, v) in map {
            let line = (k.mark?.line ?? 1) + lineOffset
            guard let key = k.string else { throw IngestError.frontMatter(path: path, line: line, message: "a key must be text") }
            guard DocumentReader.metadataKeys.contains(key) else {
                continue  // other keys (tags, author, …) are the author's business
            }
            guard let value = v.scalar?.string else {
                throw IngestError.frontMatter(path: path, line: (v.mark?.line ?? line - lineOffset) + lineOffset, message: "'\(key)' must be a single value")
            }
            switch key {
            case "title": m.title = value
            case "publisher": m.publisher = value
            case "date":
                guard PartialDate(value) != nil else {
                    throw IngestError.frontMatter(path: path, line: line, message: "date '\(value)' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
                }
                m.date = value
            case "url": m.url = value
            case "language": m.language = value
            case "reliability":
                guard value.count == 1, "ABCDEFabcdef".contains(value) else {
                    throw IngestError.frontMatter(path: path, line: line, message: "reliability '\(value)' is not A–F")
                }
                m.reliability = value.uppercased()
            default: break
            }
        }
        return m
    }

    static func describe(_ e: YamlError) -> (Int, String) {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return (mark.line, [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": "))
        case .composer(let context, let problem, let mark, _):
            return (mark.line, [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": "))
        default:
            return (1, "\(e)")
        }
    }
}

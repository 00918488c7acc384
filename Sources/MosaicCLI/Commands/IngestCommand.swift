import ArgumentParser
import Foundation
import MosaicIngest
import MosaicStore

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store articles (.txt, .md, .html) as sources and find the KB's names and the dates in them.",
        discussion: """
            Each document is kept once by the SHA-256 of its bytes, with its text (searchable), and becomes an
            Article entity (with its publisher) written with origin cli:ingest. Re-ingesting the same bytes does
            nothing; a changed file is a new version. Bytes whose Article a kb/ingest file declares (a store
            rebuilt from kb/, a fresh clone) are stored under that Article, which keeps its declared values. Markdown front matter may give title, publisher, date, url,
            language and reliability; the flags override it. A folder ingests its .txt, .md and .html files.
            Every file is checked first: an empty, binary, oversized (over 20 MB) or non-UTF-8 file, or broken
            front matter, is an error and nothing is ingested (--keep-going ingests the good ones).
            Then the plugins' extractors read it sentence by sentence and propose facts, which wait for review
            (`mosaic review`); --reextract SOURCE extracts again against the KB as it is now, --no-extract skips it.
            See the mentions with `mosaic mentions PATH|SOURCE-ID`. Rules: docs/ingest.md.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Files or folders to ingest.") var paths: [String] = []
    @Option(help: "The title (default: front matter, else the first line).") var title: String?
    @Option(help: "The publisher: an entity id or name (a new NewsOrganization when unknown).") var publisher: String?
    @Option(help: "The publication date: YYYY, YYYY-MM or YYYY-MM-DD (anchors relative dates).") var date: String?
    @Option(help: "The article's address.") var url: String?
    @Option(help: "The outlet's usual reliability, A–F.") var reliability: String?
    @Option(help: "The language code (en, ar, …).") var language: String?
    @Flag(help: "Ingest the good files when some are bad (the bad ones are reported).") var keepGoing = false
    @Flag(help: "Print the results as JSON lines: {path, source, status, mentions, dates, proposals}.") var json = false
    @Option(help: "Extract facts again from an ingested document (its source id), against the KB as it is now.") var reextract: String?
    @Flag(help: "Do not run the plugins' extractors.") var noExtract = false

    func run() throws {
        if let source = reextract {
            guard paths.isEmpty else { throw CLIError.usage("--reextract takes a source id and no paths", usage: "mosaic ingest --reextract SOURCE") }
            let ws = try options.open(strictKB: true)
            let queue = try ProposalReview.queue(ws)
            let r: ProposalQueue.Extraction
            do { r = try queue.reextract(source: source) } catch let e as IngestError { throw CLIError("error: \(e)") }
            ProposalReview.report(ws, r)
            print("\(source): \(r.proposed) proposed facts pending review\(r.skipped > 0 ? " (\(r.skipped) reviewed before, left out)" : "") (mosaic review)")
            return
        }
        guard !paths.isEmpty else { throw CLIError.usage("name at least one file", usage: "mosaic ingest PATH… [--title T] [--publisher P] [--date D] [--url U] [--reliability R]") }
        let overrides = DocumentMetadata(title: title, publisher: publisher, date: date, url: url, language: language, reliability: reliability)
        if let date, MosaicGraphDate.valid(date) == false {
            throw CLIError.usage("--date '\(date)' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", usage: "mosaic ingest PATH… --date 2025-10-30")
        }
        let files = try IngestCommand.expand(paths)
        guard !files.isEmpty else { throw CLIError("error: no .txt, .md or .html files in \(paths.joined(separator: ", "))") }
        // Check every file before writing anything.
        var docs: [Document] = []
        var errors: [String] = []
        for f in files {
            do { docs.append(try DocumentReader.read(path: f, overrides: overrides)) } catch let e as IngestError {
                errors.append("error: \(e)")
            }
        }
        if !errors.isEmpty && !keepGoing {
            throw CLIError(errors.joined(separator: "\n") + "\n\(errors.count) of \(files.count) file\(files.count == 1 ? "" : "s") cannot be ingested; nothing was ingested (--keep-going ingests the others).")
        }
        for e in errors { FileHandle.standardError.write(Data((e + "\n").utf8)) }
        let ws = try options.open(strictKB: true)
        var ingestor = Ingestor(store: ws.store)
        let queue = noExtract ? nil : try ProposalReview.queue(ws)
        let progress = docs.count > 1
        var counts: [Ingestor.Result.Status: Int] = [:]
        for (i, doc) in docs.enumerated() {
            let r: Ingestor.Result
            do { r = try ingestor.ingest(doc) } catch let e as StoreError { throw CLIError("error: \(doc.path): \(e)") }
            counts[r.status, default: 0] += 1
            var extraction: ProposalQueue.Extraction?
            if let queue, r.status != .unchanged, r.status != .restored, let stored = try ws.store.document(source: r.source) {
                do { extraction = try queue.extract(stored, mentions: r.mentions, dates: r.dates) } catch let e as StoreError { throw CLIError("error: \(doc.path): \(e)") }
                ProposalReview.report(ws, extraction!)
            }
            if progress {
                FileHandle.standardError.write(Data("[\(i + 1)/\(docs.count)] \(doc.path): \(r.status.rawValue)\n".utf8))
            }
            if json {
                print(MosaicIngest.JSONOut.object([("path", .string(doc.path)), ("source", .string(r.source)), ("status", .string(r.status.rawValue)),
                                                   ("mentions", .int(r.mentions.count)), ("dates", .int(r.dates.count)),
                                                   ("proposals", .int(extraction?.proposed ?? 0))]).rendered())
            } else if r.status == .unchanged {
                print("\(doc.path): unchanged (already ingested as \(r.source))")
            } else if r.status == .restored {
                print("\(doc.path): already ingested as \(r.source), whose Article was gone (its kb/ingest file deleted?): written again in transaction \(r.transaction), as ingest recorded it; its proposals stay as they were (mosaic review --all)")
            } else {
                let how = r.status == .reattached ? "ingested as \(r.source), the source kb/ declares for these bytes (its own values kept)," : "\(r.status.rawValue) as \(r.source)"
                let known = r.mentions.filter { $0.kind == .name }.count
                let near = r.mentions.filter { $0.kind == .nearMiss }.count
                let new = r.mentions.filter { $0.kind == .new }.count
                let proposed = extraction.map { "; \($0.proposed) proposed facts pending review (mosaic review)" + ($0.skipped > 0 ? "; \($0.skipped) reviewed before or already in kb/, left out" : "") } ?? ""
                print("\(doc.path): \(how) in transaction \(r.transaction): \(known) mentions of known entities, \(near) near misses (alias proposals), \(new) proposed new entities, \(r.dates.count) dates\(proposed)")
            }
        }
        if progress {
            let summary = Ingestor.Result.Status.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
            FileHandle.standardError.write(Data("\(docs.count) documents: \(summary)\(errors.isEmpty ? "" : "; \(errors.count) skipped")\n".utf8))
        }
        if !errors.isEmpty { throw CLIError("\(errors.count) file\(errors.count == 1 ? "" : "s") skipped (see above)") }
    }

    /// Files as given, folders expanded to their .txt, .md and .html files (sorted, recursively).
    static func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue {
                let items = FileManager.default.enumerator(atPath: p)?.compactMap { $0 as? String } ?? []
                out += items.filter { ["txt", "md", "markdown", "html", "htm", "xhtml"].contains(($0 as NSString).pathExtension.lowercased()) }
                    .sorted().map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}

extension Ingestor.Result.Status: CaseIterable {
    public static var allCases: [Ingestor.Result.Status] { [.ingested, .newVersion, .reattached, .restored, .unchanged] }
}

enum MosaicGraphDate {
    static func valid(_ s: String) -> Bool { DocumentMetadata(date: s).publishedDate != nil }
}

struct MentionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentions",
        abstract: "List the names (and dates) found in an ingested document.",
        discussion: """
            DOC is the document's path or its source id. Each mention has UTF-8 byte offsets into the stored text,
            the text, the KB alias that matched, and the entity (or the candidates when several bear the name);
            near misses carry the spelling proposed as a new alias, unmatched capitalised names a proposed new
            entity with a guessed type. --json prints an array of
            {document, start, end, text, alias, entity | candidates[], kind, title?, new_alias?, new_entity?}.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The document's path or its source id.") var doc: String
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "List the dates instead of the names.") var dates = false

    func run() throws {
        let ws = try options.open()
        let store = ws.store
        var stored: StoredDocument?
        if FileManager.default.fileExists(atPath: doc) {
            guard let data = FileManager.default.contents(atPath: doc) else { throw CLIError("error: cannot read \(doc)") }
            let hash = SHA256.hex([UInt8](data))
            stored = try store.document(hash: hash)
            if stored == nil {
                if let old = try store.latestDocument(path: Ingestor.canonicalPath(doc)) {
                    throw CLIError("error: \(doc) changed since it was ingested as \(old.source); run `mosaic ingest \(doc)` to store the new version")
                }
                throw CLIError("error: \(doc) is not ingested; run `mosaic ingest \(doc)`")
            }
        } else {
            stored = try store.document(source: doc)
            if stored == nil { throw CLIError("error: no document '\(doc)': give the path of an ingested file or its source id") }
        }
        let d = stored!
        let rows = try store.annotations(document: d.id, kind: dates ? "date" : "mention")
        if json {
            print("[" + rows.map(\.json).joined(separator: ",\n ") + "]")
            return
        }
        print("\(d.source): \(d.path ?? "?"), \(d.byteCount) bytes, sha256 \(d.hash.prefix(16))…; offsets are UTF-8 bytes into the stored text")
        for r in rows {
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(r.json.utf8))) as? [String: Any] else { continue }
            let text = obj["text"] as? String ?? ""
            let span = "\(r.start)-\(r.end)".padding(toLength: 11, withPad: " ", startingAt: 0)
            if dates {
                let v = (obj["value"] as? String) ?? "(no publication date to anchor it)"
                print("  \(span) \(text)  → \(v) (\(obj["precision"] as? String ?? "")\((obj["relative"] as? Bool) == true ? ", relative" : ""))")
                continue
            }
            var line = "  \(span) \(text)"
            if let e = obj["entity"] as? String { line += "  → \(e)" }
            if let c = obj["candidates"] as? [String] { line += "  → one of \(c.joined(separator: ", ")) (ambiguous)" }
            if let a = obj["alias"] as? String, a != text { line += "  (as '\(a)')" }
            if let t = obj["title"] as? String { line += "  title: \(t)" }
            if let n = obj["new_alias"] as? String { line += "  near miss: propose alias '\(n)'" }
            if let ne = obj["new_entity"] as? [String: Any] { line += "  new entity? \(ne["type"] as? String ?? "")" }
            print(line)
        }
    }
}

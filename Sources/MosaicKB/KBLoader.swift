import Foundation
import MosaicGraph
import MosaicStore

/// Loads a workspace's kb/ folder into the store, like a build tool: only files whose
/// content changed are read and synced; the whole load is validated first and written as
/// one transaction, so an invalid KB changes nothing.
public struct KBLoader {
    public struct Report: Sendable, Hashable {
        public var filesRead = 0
        public var filesRemoved = 0
        public var asserted = 0
        public var retracted = 0
        public var kept = 0
        public var transaction: Int64 = 0
        public var summary: String {
            "kb: \(filesRead) file\(filesRead == 1 ? "" : "s") read, \(asserted) statements asserted, \(retracted) retracted, \(kept) unchanged"
                + (filesRemoved > 0 ? ", \(filesRemoved) file\(filesRemoved == 1 ? "" : "s") removed" : "")
                + (transaction > 0 ? " (transaction \(transaction))" : "")
        }
    }

    public let root: URL
    public let store: Store
    /// Whether kb/ (or a file in it) may be a link that resolves outside the workspace
    /// (mosaic.yaml `allow_outside_links: true`); refused by default.
    public var allowOutsideLinks = false

    /// `root` is the workspace (the folder holding kb/).
    public init(workspace root: URL, store: Store) {
        self.root = root
        self.store = store
    }

    var kbDirectory: URL { root.appendingPathComponent("kb") }
    static let schemaPath = "kb/schema.yaml"

    /// The kb files (paths relative to the workspace, `kb/…`), sorted.
    public func files() -> [String] {
        // Hidden files and folders (editor swap files, .git) are not part of the KB.
        guard let e = FileManager.default.enumerator(at: kbDirectory, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) else { return [] }
        var out: [String] = []
        for case let url as URL in e where ["yaml", "yml"].contains(url.pathExtension) {
            let rel = url.path.replacingOccurrences(of: root.path + "/", with: "")
            if !url.lastPathComponent.hasPrefix(".") { out.append(rel) }
        }
        return out.sorted()
    }

    /// Refuses kb/, or a file in it, that resolves outside the workspace (a symlink to
    /// another folder), unless `allowOutsideLinks`: the KB is what the workspace holds.
    func checkLinks(_ paths: [String]) throws {
        guard !allowOutsideLinks else { return }
        let base = root.resolvingSymlinksInPath().path
        var diags: [KBDiagnostic] = []
        for p in ["kb"] + paths {
            let resolved = root.appendingPathComponent(p).resolvingSymlinksInPath().path
            guard resolved != base && !resolved.hasPrefix(base + "/") else { continue }
            diags.append(KBDiagnostic(file: p, line: 1, column: 1, message: "resolves outside the workspace (to \(resolved)); refused: move it into the workspace, or set allow_outside_links: true in mosaic.yaml"))
            if p == "kb" { break }
        }
        if !diags.isEmpty { throw KBError(diags) }
    }

    func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
            throw KBError([KBDiagnostic(file: path, line: 1, column: 1, message: "cannot read the file; check its permissions")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KBError([KBDiagnostic(file: path, line: 1, column: 1, message: "the file is not UTF-8 text; save it as UTF-8")])
        }
        return text
    }

    /// size and modification time: a file whose fingerprint is unchanged is not read again.
    func fingerprint(_ path: String) -> String {
        let attrs = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)
        let size = (attrs?[.size] as? NSNumber)?.int64Value ?? -1
        let mtime = (attrs?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "s\(size)-m\(Int64(mtime * 1000))"
    }

    static func contentHash(_ text: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16)
    }

    /// The schema as it reads now, or nil when it is missing or has errors (readers then
    /// go on without its fact rules; `check` and `load` report the errors).
    public func currentSchema() -> Schema? {
        guard let text = try? read(KBLoader.schemaPath) else { return nil }
        let (schema, diags) = KBSchemaParser.parse(text, path: KBLoader.schemaPath)
        return diags.isEmpty ? schema : nil
    }

    /// Where the last load keeps a copy of the schema it loaded (beside the store; nil for
    /// a store in memory).
    var loadedSchemaURL: URL? {
        store.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("loaded-schema.yaml") }
    }

    /// The schema as the last successful load read it (nil when no copy was kept: a store
    /// loaded before copies were kept, or in memory). While kb/ has errors, readers use it:
    /// the graph they read is the one it validated.
    public func loadedSchema() -> Schema? {
        guard let url = loadedSchemaURL, let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let (schema, diags) = KBSchemaParser.parse(text, path: KBLoader.schemaPath)
        return diags.isEmpty ? schema : nil
    }

    func keepSchemaCopy(_ text: String, always: Bool) {
        guard let url = loadedSchemaURL, always || !FileManager.default.fileExists(atPath: url.path) else { return }
        try? Data(text.utf8).write(to: url, options: .atomic)
    }

    /// The schema; when it is invalid, throws its errors together with the syntax and shape
    /// errors of every data file, so that one run shows everything that can be known.
    func schema() throws -> (Schema, String) {
        var diags: [KBDiagnostic] = []
        var text = ""
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(KBLoader.schemaPath).path) {
            text = try read(KBLoader.schemaPath)
            diags = KBSchemaParser.parse(text, path: KBLoader.schemaPath).1
        } else {
            diags = [KBDiagnostic(file: KBLoader.schemaPath, line: 1, column: 1,
                                  message: "the schema is missing; create kb/schema.yaml with entity_types and relation_types")]
        }
        if diags.isEmpty { return (KBSchemaParser.parse(text, path: KBLoader.schemaPath).0, text) }
        for p in files() where p != KBLoader.schemaPath {
            var parser = KBParser(path: p)
            diags += parser.parse(try read(p)).diagnostics
        }
        throw KBError(diags)
    }

    /// Validates the whole kb/ folder (every file), writing nothing.
    public func check() throws -> (files: Int, statements: Int) {
        try checkLinks(files())
        let (schema, _) = try schema()
        let paths = files().filter { $0 != KBLoader.schemaPath }
        var parsed: [ParsedFile] = []
        var diags: [KBDiagnostic] = []
        for p in paths {
            var parser = KBParser(path: p)
            let f = parser.parse(try read(p))
            diags += f.diagnostics
            parsed.append(f)
        }
        var known: [String: String] = [:]
        diags += KBLoader.declare(parsed, into: &known, existing: { _ in nil })
        var compiler = KBCompiler(schema: schema, known: known)
        let count = parsed.reduce(0) { $0 + compiler.compile($1).count }
        diags += compiler.diagnostics
        if !diags.isEmpty { throw KBError(diags) }
        return (paths.count, count)
    }

    /// Records each declared id with its type; reports duplicates (within these files, or
    /// with `existing` ids declared by files not being reloaded).
    static func declare(_ files: [ParsedFile], into known: inout [String: String], existing: (String) -> String?) -> [KBDiagnostic] {
        var diags: [KBDiagnostic] = []
        var firstSeen: [String: (String, Pos)] = [:]
        for f in files {
            for e in f.entities {
                if let (file, pos) = firstSeen[e.id] {
                    diags.append(KBDiagnostic(file: f.path, line: e.pos.line, column: e.pos.column,
                                              message: "duplicate id '\(e.id)': already declared at \(file):\(pos.line); ids are unique across kb/"))
                    continue
                }
                if let other = existing(e.id) {
                    diags.append(KBDiagnostic(file: f.path, line: e.pos.line, column: e.pos.column,
                                              message: "duplicate id '\(e.id)': \(other); ids are unique across kb/ and the store"))
                    continue
                }
                firstSeen[e.id] = (f.path, e.pos)
                known[e.id] = e.type
            }
        }
        return diags
    }

    /// Loads what changed since the last load (everything with `force`). Returns nil when
    /// nothing changed. Throws `KBError` (and writes nothing) when the KB is invalid.
    @discardableResult
    public func load(force: Bool = false) throws -> Report? {
        let stored = try store.kbFileHashes()
        let paths = files()
        try checkLinks(paths)
        let (schema, schemaText) = try schema()
        let schemaHash = fingerprint(KBLoader.schemaPath) + "-h" + KBLoader.contentHash(schemaText)
        let schemaChanged = force || stored[KBLoader.schemaPath] != schemaHash
        let dataPaths = paths.filter { $0 != KBLoader.schemaPath }

        // Which files changed: a new fingerprint, then a new content hash.
        var changed: [(path: String, text: String, hash: String)] = []
        var touched: [(String, String)] = []
        for p in dataPaths {
            let fp = fingerprint(p)
            if !schemaChanged, let old = stored[p], old.hasPrefix(fp + "-h") { continue }
            let text = try read(p)
            let hash = fp + "-h" + KBLoader.contentHash(text)
            if !schemaChanged, let old = stored[p], old.split(separator: "h").last == hash.split(separator: "h").last {
                touched.append((p, hash))
                continue
            }
            changed.append((p, text, hash))
        }
        let removed = stored.keys.filter { $0 != KBLoader.schemaPath && !dataPaths.contains($0) }.sorted()
        if changed.isEmpty && removed.isEmpty && !schemaChanged {
            keepSchemaCopy(schemaText, always: false)
            if !touched.isEmpty { try store.write(origin: .system("kb-load")) { tx in for (p, h) in touched { try tx.touchFile(path: p, hash: h) } } }
            return nil
        }

        // Parse the changed files; ids declared elsewhere come from the current graph.
        var diags: [KBDiagnostic] = []
        var parsed: [ParsedFile] = []
        for c in changed {
            var parser = KBParser(path: c.path)
            let f = parser.parse(c.text)
            diags += f.diagnostics
            parsed.append(f)
        }
        let reloaded = Set(changed.map(\.path) + removed)
        let graph = store.graph
        var oldDeclared: Set<String> = []
        for p in reloaded {
            for s in try store.openStatements(fromFile: p) { if case .entity = s.kind { oldDeclared.insert(s.subject) } }
        }
        var known: [String: String] = [:]
        for i in graph.nodeIndices {
            let n = graph.node(i)
            guard !oldDeclared.contains(n.key) else { continue }
            known[n.key] = n.type
        }
        let before = known
        // Where an id that a changed file declares again already comes from.
        func existing(_ id: String) -> String? {
            guard before[id] != nil else { return nil }
            // An Article (or publisher) `mosaic ingest` made: the file takes it over (IngestTakeOver).
            if IngestTakeOver.mayTakeOver(id, store: store) { return nil }
            let made = (try? store.statements(subject: id))?.first { if case .entity = $0.kind { return true }; return false }
            switch made?.meta.origin {
            case .file(let path, let line)?: return "already declared at \(path):\(line)"
            case let origin?: return "already in the store (made by \(origin))"
            case nil: return "already in the store"
            }
        }
        diags += KBLoader.declare(parsed, into: &known, existing: existing)
        // An id that goes away must not be used by a file that is not being reloaded.
        let newDeclared = Set(parsed.flatMap { $0.entities.map(\.id) })
        for id in oldDeclared.subtracting(newDeclared).sorted() {
            for s in try store.openReferences(to: id, excludingFiles: reloaded) {
                if case .file(let path, let line) = s.meta.origin {
                    diags.append(KBDiagnostic(file: path, line: line, column: 1,
                                              message: "'\(id)' is used here but no longer declared anywhere; declare it again or remove this fact"))
                }
            }
        }
        // …nor be named as an outlet in a `via` chain there.
        let gone = oldDeclared.subtracting(newDeclared)
        if !gone.isEmpty {
            for s in try store.believedStatements() {
                guard case .file(let path, let line) = s.meta.origin, !reloaded.contains(path) else { continue }
                for outlet in Set(s.meta.sources.flatMap(KBProvenance.via)).intersection(gone).sorted() {
                    diags.append(KBDiagnostic(file: path, line: line, column: 1,
                                              message: "'via' names '\(outlet)', which is no longer declared anywhere; declare it again or fix the 'via'"))
                }
            }
        }
        var compiler = KBCompiler(schema: schema, known: known)
        var drafts: [(String, String, [StatementDraft])] = []
        for (f, c) in zip(parsed, changed) { drafts.append((c.path, c.hash, compiler.compile(f))) }
        diags += compiler.diagnostics
        if !diags.isEmpty { throw KBError(diags) }
        // Ingest's statements that the changed files state again give way to the files'.
        let takeOver = changed.isEmpty ? [] : try IngestTakeOver(store: store).restated(by: drafts.flatMap(\.2), declared: newDeclared)

        var report = Report(filesRead: changed.count, filesRemoved: removed.count)
        do {
            report.transaction = try store.write(origin: .system("kb-load"), note: "kb/ changed: \((changed.map(\.path) + removed).joined(separator: ", "))") { tx in
                for sid in takeOver { try tx.retract(sid) }
                report.retracted += takeOver.count
                for (path, hash, d) in drafts {
                    let c = try tx.syncFile(path: path, hash: hash, drafts: d)
                    report.asserted += c.asserted; report.retracted += c.retracted; report.kept += c.kept
                }
                for p in removed { report.retracted += try tx.removeFile(path: p).retracted }
                try tx.syncFile(path: KBLoader.schemaPath, hash: schemaHash, drafts: [])
                for (p, h) in touched { try tx.touchFile(path: p, hash: h) }
            }
        }
        keepSchemaCopy(schemaText, always: true)
        return report
    }
}

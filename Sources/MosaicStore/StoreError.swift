// MosaicStore provides durable storage of statements in SQLite (through GRDB, WAL mode):
// versioned migrations, the statement log with transaction time, one writer whose every
// write is one transaction with an origin, snapshots of the graph now or as of a past
// transaction, kb file sync, bulk import and article text search. It uses MosaicGraph.
import Foundation

/// What went wrong in the store, with what to do about it.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case sqlite(context: String, message: String)
    case unknownStatement(Int64)
    case conflict(String)
    case badImport(file: String, line: Int, message: String)
    case locked(path: String)
    /// The file is there but is not a store (empty, not SQLite, another program's database,
    /// damaged): nothing is rebuilt behind the analyst's back.
    case notAStore(path: String, reason: String)
    /// A write refused by `WriteValidation` (what, and why).
    case invalidWrite(String)
    /// The store's files cannot be written (permissions, a read-only volume).
    case readOnly(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): "cannot open the store at \(p): \(r). Check the path and its permissions, or delete the .mosaic/ folder to rebuild it from kb/."
        case .sqlite(let c, let m): "store error while \(c): \(m)"
        case .unknownStatement(let id): "no statement #\(id) in the store (mosaic show or a query gives valid ids)"
        case .conflict(let m): "the knowledge base changed while this write was prepared: \(m). Run it again."
        case .badImport(let f, let l, let m): "\(f):\(l): \(m)"
        case .locked(let p): "the store \(p) is busy with another writer; try again when it finishes"
        case .notAStore(let p, let r):
            "\(p) cannot be opened as a store: \(r). Nothing was changed. Restore the file from a backup, or run "
                + "`mosaic load --rebuild` to set it aside and start again from kb/ (what is not in kb/, such as imports, "
                + "plugin writes and run history, stays in the set-aside file)"
        case .invalidWrite(let m): "write refused: \(m)"
        case .readOnly(let p): "the store \(p) is read-only (check the permissions of the .mosaic/ folder and its files); reads work, writes and kb/ loads do not"
        }
    }
}


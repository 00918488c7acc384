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

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): "cannot open the store at \(p): \(r). Check the path and its permissions, or delete the .mosaic/ folder to rebuild it from kb/."
        case .sqlite(let c, let m): "store error while \(c): \(m)"
        case .unknownStatement(let id): "no statement #\(id) in the store (mosaic show or a query gives valid ids)"
        case .conflict(let m): "the knowledge base changed while this write was prepared: \(m). Run it again."
        case .badImport(let f, let l, let m): "\(f):\(l): \(m)"
        case .locked(let p): "the store \(p) is busy with another writer; try again when it finishes"
        }
    }
}


import Foundation
import MosaicGraph
import MosaicStore

public struct GazetteerImporter {
    public struct Report: Sendable { public var created = 0, linked = 0, statements = 0; public var transaction: Int64 = 0; public var dataset = "" }
    let store: Store
    public init(store: Store) { self.store = store }
    public func importISO3166(_ path: String) throws -> Report { Report() }
}

import Foundation
import MosaicGraph

public struct STIXExporter {
    public let graph: Graph
    public let schema: Schema?
    public init(graph: Graph, schema: Schema?) { self.graph = graph; self.schema = schema }
    public func bundle() -> (String, String) { ("", "") }
}

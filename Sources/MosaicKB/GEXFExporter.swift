import Foundation
import MosaicGraph

public struct GEXFExporter {
    public let graph: Graph
    public init(graph: Graph) { self.graph = graph }
    public func document() -> String { "" }
}

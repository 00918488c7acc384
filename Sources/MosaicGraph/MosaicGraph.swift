// MosaicGraph: placeholder until its issue lands.
public enum MosaicGraphModule { public static let name = "MosaicGraph" }

// MosaicQuery: placeholder until its issue lands.
public enum MosaicQueryModule { public static let name = "MosaicQuery" }

// MosaicKB: placeholder until its issue lands.
public enum MosaicKBModule { public static let name = "MosaicKB" }

// MosaicStore: placeholder until its issue lands.
public enum MosaicStoreModule { public static let name = "MosaicStore" }

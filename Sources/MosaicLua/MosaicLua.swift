// MosaicLua: placeholder until its issue lands.
public enum MosaicLuaModule { public static let name = "MosaicLua" }

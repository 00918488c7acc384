// MosaicPlugins: placeholder until its issue lands.
public enum MosaicPluginsModule { public static let name = "MosaicPlugins" }

// MosaicReports: placeholder until its issue lands.
public enum MosaicReportsModule { public static let name = "MosaicReports" }

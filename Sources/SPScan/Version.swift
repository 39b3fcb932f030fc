/// The version `spscan --version` prints and the user agent names.
public enum SPScanVersion {
    public static let current = "0.1.0"
}

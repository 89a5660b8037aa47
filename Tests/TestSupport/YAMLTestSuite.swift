import Foundation

/// The official YAML test suite (../shared/yaml-test-suite, or $YAML_TEST_SUITE): a corpus of
/// documents nobody here wrote.
public enum YAMLTestSuite {
    public static let root: String = {
        if let path = ProcessInfo.processInfo.environment["YAML_TEST_SUITE"] { return path }
        let packageRoot = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + packageRoot + "/../shared/yaml-test-suite"
    }()

    public static var available: Bool { FileManager.default.fileExists(atPath: root) }

    /// Every `in.yaml`, sorted by path.
    public static func inputs() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix("/in.yaml") || $0 == "in.yaml" }
            .map { root + "/" + $0 }.sorted()
    }
}

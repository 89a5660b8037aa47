import Foundation
import TestSupport
import Testing

/// The end-to-end tests are only worth something if they run what ships: scripts/test.sh
/// points them (CTAGENT_BIN_DIR) at the release binaries built as `make install` builds them,
/// and CTAGENT_EXPECT_BINARIES says which kind it built, so that a slip back to the debug
/// build fails here instead of passing silently.
@Suite struct ShippedBinaryTests {
    static let expected = ProcessInfo.processInfo.environment["CTAGENT_EXPECT_BINARIES"]

    @Test(.enabled(if: expected == "release", "scripts/test.sh sets CTAGENT_EXPECT_BINARIES=release"))
    func theTestedBinariesAreTheReleaseOnesWithTheRuntimeLinkedIn() throws {
        for name in ["ctagent", "ctagentcmd"] {
            let path = Harness.binary(name)
            #expect(path.hasSuffix(".build/release/" + name), "tested binary: \(path)")
            let libraries = try Harness.run("/usr/bin/ldd", [path])
            #expect(libraries.status == 0)
            #expect(!libraries.stdout.lowercased().contains("swift"), "the Swift runtime must be linked in: \(libraries.stdout)")
        }
    }

    @Test(.enabled(if: expected == "asan", "scripts/test-sanitizers.sh sets CTAGENT_EXPECT_BINARIES=asan"))
    func theTestedBinariesCarryAddressSanitizer() throws {
        let symbols = try Harness.shell("nm -D '\(Harness.binary("ctagent"))' | grep -c __asan_init")
        #expect(symbols.status == 0, "ctagent was not built with -sanitize=address")
    }
}

import Testing
@testable import YAMLEdit

private func refusal(_ text: [UInt8], _ operation: YAMLEditOperation) -> YAMLEditError? {
    do {
        _ = try YAMLDocument.applying([operation], to: text)
        return nil
    } catch {
        return error as? YAMLEditError
    }
}

private func refusal(_ text: String, _ operation: YAMLEditOperation) -> YAMLEditError? {
    refusal(Array(text.utf8), operation)
}

private let setProxy = YAMLEditOperation.set(path: ["configuration", "proxy"], value: "a", type: .string)

@Suite struct RefusalTests {
    @Test func multipleDocuments() {
        #expect(refusal("a: 1\n---\nb: 2\n", setProxy) == .multipleDocuments(count: 2))
    }

    @Test func rootThatIsNotAMapping() {
        #expect(refusal("- a\n- b\n", setProxy) == .rootNotMapping(found: "a list"))
        #expect(refusal("just text\n", setProxy) == .rootNotMapping(found: "a single value"))
    }

    @Test func pathThroughAnAlias() {
        #expect(refusal("base: &b {proxy: x}\nconfiguration: *b\n", setProxy) == .pathThroughAlias(path: "configuration"))
    }

    /// An anchored mapping that an alias repeats: an edit inside it would change the alias's
    /// place too. One that no alias repeats stays editable.
    @Test func insideAnAnchoredMappingThatAnAliasRepeats() {
        let shared = "configuration: &a\n  proxy: x\nother: *a\n"
        guard case .cannotEditSafely(let path, let reason)? = refusal(shared, setProxy) else {
            Issue.record("an edit inside a shared mapping was not refused")
            return
        }
        #expect(path == "configuration" && reason.contains("shared through the anchor &a"))
        #expect(refusal("configuration: &a\n  proxy: x\n", setProxy) == nil)
    }

    @Test func pathThroughANonMapping() {
        #expect(refusal("configuration: 5\n", setProxy) == .pathThroughNonMapping(path: "configuration", found: "a single value"))
        #expect(refusal("configuration: [a]\n", setProxy) == .pathThroughNonMapping(path: "configuration", found: "a list"))
    }

    @Test func duplicateKeysOnThePath() {
        #expect(refusal("configuration:\n  proxy: a\n  proxy: b\n", setProxy) == .duplicateKey(path: "configuration.proxy"))
    }

    @Test func wideEncodings() {
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("a: 1\n".utf8).flatMap { byte -> [UInt8] in [byte, 0] }
        #expect(refusal(utf16, setProxy) == .unsupportedEncoding("UTF-16"))
        let utf16NoBOM = Array("a: 1\n".utf8).flatMap { [UInt8(0), $0] }
        #expect(refusal(utf16NoBOM, setProxy) == .unsupportedEncoding("UTF-16"))
        let utf32: [UInt8] = [0x00, 0x00, 0xFE, 0xFF] + Array("a".utf8).flatMap { byte -> [UInt8] in [0, 0, 0, byte] }
        #expect(refusal(utf32, setProxy) == .unsupportedEncoding("UTF-32"))
    }

    @Test func invalidUTF8AndInvalidYAML() {
        #expect(refusal([0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A], setProxy) == .invalidUTF8(byteOffset: 3))
        guard case .parseFailed(_, let line, _)? = refusal("a: [1, 2\nb: 3\n", setProxy) else {
            Issue.record("expected a parse failure"); return
        }
        #expect(line >= 2)
    }

    @Test func anchoredOrTaggedValues() {
        #expect(refusal("configuration:\n  proxy: &p a\n", setProxy) == .valueHasProperties(path: "configuration.proxy"))
        #expect(refusal("configuration:\n  proxy: !!str a\n", setProxy) == .valueHasProperties(path: "configuration.proxy"))
    }

    @Test func settingAMappingToAValue() {
        #expect(refusal("configuration:\n  proxy:\n    a: 1\n", setProxy) == .valueNotScalar(path: "configuration.proxy", found: "a mapping"))
    }

    @Test func aKeySharingItsLineCannotBeRemoved() {
        #expect(refusal("list:\n- proxy: a\n  b: 1\n", .remove(path: ["list"])) == nil)
        #expect(refusal("a: 1\nlist:\n- x: 1\n  y: 2\n", .remove(path: ["list", "x"])) == .pathThroughNonMapping(path: "list", found: "a list"))
    }
}

import Testing
import TestSupport
@testable import YAMLEdit

/// `EditVerification.same` is the fast comparison the verification runs on every node; it must
/// say "same" exactly when `firstDifference`, which builds the words, finds nothing.
@Suite struct EditVerificationTests {
    private func root(_ text: String) throws -> YAMLNode {
        try #require(try YAMLDocument(Array(text.utf8)).root)
    }

    @Test(arguments: [
        ("a: 1\n", "a: 1\n", true),
        ("a: 1\n", "a: '1'\n", false),              // an int, then a string
        ("a: x\n", "a: 'x'\n", true),               // a string either way: presentation only
        ("a: yes\n", "a: 'yes'\n", false),          // yes is a bool to YAML 1.1 readers
        ("a: !!str 1\n", "a: '1'\n", true),
        ("a: !x 1\n", "a: !y 1\n", false),          // unknown tags differ
        ("a: [1, 2]\n", "a:\n- 1\n- 2\n", true),    // flow or block: the same list
        ("a: [1, 2]\n", "a: [1, 2, 3]\n", false),
        ("a: &k 1\nb: *k\n", "a: &k 1\nb: *k\n", true),
        ("a: &k 1\nb: *k\n", "a: &j 1\nb: *j\n", false),
        ("a: {b: {c: 1}}\n", "a: {b: {c: 2}}\n", false),
    ])
    func sameAgreesWithFirstDifference(_ left: String, _ right: String, _ expected: Bool) throws {
        let (a, b) = (try root(left), try root(right))
        #expect(EditVerification.same(a, b) == expected)
        #expect((EditVerification.firstDifference(a, b, at: []) == nil) == expected)
    }

    /// Every pair of neighbouring documents of the yaml-test-suite, and each with itself.
    @Test(.enabled(if: YAMLTestSuite.available, "needs ../shared/yaml-test-suite"))
    func sameAgreesWithFirstDifferenceOnTheCorpus() throws {
        let roots = YAMLTestSuite.inputs().compactMap { path in (try? YAMLDocument(readFile(path)))?.root }
        try #require(roots.count > 100)
        var pairs = 0
        for (index, node) in roots.enumerated() {
            for other in [node, roots[(index + 1) % roots.count]] {
                #expect(EditVerification.same(node, other) == (EditVerification.firstDifference(node, other, at: []) == nil))
                pairs += 1
            }
        }
        #expect(pairs == 2 * roots.count)
    }
}

import Testing
import TestSupport
@testable import YAMLEdit

/// The hand-written resolvers (`ScalarMatchers`) against the regular expressions they
/// replace, which stay here as the oracle: every value the grammars name, near-misses made
/// from them, and every plain scalar of the yaml-test-suite must resolve alike.
@Suite struct ScalarMatcherTests {
    static let patterns11: [(ScalarType, String)] = [
        (.null, #"~|null|Null|NULL"#),
        (.bool, #"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"#),
        (.int, #"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"#),
        (.float, #"[-+]?([0-9][0-9_]*)\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9_]+([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"#),
        (.timestamp, #"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?([ \t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?"#),
        (.merge, #"<<"#),
        (.value, #"="#),
    ]
    static let patterns12: [(ScalarType, String)] = [
        (.null, #"~|null|Null|NULL"#),
        (.bool, #"true|True|TRUE|false|False|FALSE"#),
        (.int, #"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"#),
        (.float, #"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"#),
    ]
    static let portableInt = #"0|-?[1-9][0-9]*"#
    static let portableFloat = #"-?(0|[1-9][0-9]*)\.[0-9]+([eE][-+][0-9]+)?"#

    /// What the regular expressions say, in the schema's order.
    static func oracle(_ text: String, _ patterns: [(ScalarType, Regex<AnyRegexOutput>)]) -> ScalarType {
        if text.isEmpty { return .null }
        for (type, pattern) in patterns where (try? pattern.wholeMatch(in: text)) != nil { return type }
        return .string
    }

    static let seeds = ["0", "1", "7", "9", "12", "017", "08", "0_7", "0b101", "0b", "0x1F", "0xg", "0o17", "1_000", "190:20:30", "1:2",
                        "12:30", "1:60", "1:5:7", "0:30", ".5", "._5", "1.", "1.5", "1_0.5_", "1e3", "1e+3", "1.5e-3", "1.5E+10", ".5e+1",
                        "190:20:30.15", "1:20.", ".inf", "-.Inf", "+.INF", ".NaN", "-.nan", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
                        "2001-12-14 21:59:43.10 -5", "2001-12-14\t21:59:43Z", "2001-1-2 3:04:05", "2001-1-2", "2001-12-14T21:59:43.1 +05:30",
                        "yes", "Yes", "YES", "yEs", "on", "OFF", "y", "n", "N", "~", "null", "Null", "NULL", "nULL", "true", "FALSE", "<<",
                        "=", "1e", "1e+", "e3", "--1", "+-1", "0x", "0o", "0o8", "12:", ":30", "1__", "١٢"]
    /// Every word the grammars name.
    static let words = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                        "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN",
                        "<<", "="]
    static let alphabet = Array("0123456789_.:-+eExXoObB tTzZ\t~<=nNyYa")

    /// The seeds with one character changed, inserted or dropped, by a fixed-seed generator.
    static func table() -> [String] {
        var values = Set(seeds + words)
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for seed in seeds + words {
            for sign in ["", "+", "-"] { values.insert(sign + seed) }
            for _ in 0..<400 {
                var characters = Array(seed)
                switch next(3) {
                case 0 where !characters.isEmpty: characters[next(characters.count)] = alphabet[next(alphabet.count)]
                case 1: characters.insert(alphabet[next(alphabet.count)], at: next(characters.count + 1))
                default: if !characters.isEmpty { characters.remove(at: next(characters.count)) }
                }
                values.insert(String(characters))
            }
        }
        return values.sorted()
    }

    /// Every plain scalar (values and keys) of the yaml-test-suite's documents.
    static func corpusScalars() -> [String] {
        var scalars = Set<String>()
        for input in YAMLTestSuite.inputs() {
            guard let bytes = try? ProcessRunner.readBytes(input), let document = try? YAMLDocument(bytes), let root = document.root else { continue }
            var pending = [root]
            while let node = pending.popLast() {
                if node.kind == .scalar && node.style == .plain { scalars.insert(node.value) }
                pending += node.children
            }
        }
        return scalars.sorted()
    }

    @Test func theMatchersAgreeWithTheRegularExpressions() {
        let values = ScalarMatcherTests.table() + ScalarMatcherTests.corpusScalars()
        #expect(values.count > 10_000, "\(values.count) values")
        let eleven11 = ScalarMatcherTests.patterns11.map { ($0.0, try! Regex($0.1)) }
        let twelve12 = ScalarMatcherTests.patterns12.map { ($0.0, try! Regex($0.1)) }
        let portableInt = try! Regex(ScalarMatcherTests.portableInt), portableFloat = try! Regex(ScalarMatcherTests.portableFloat)
        var disagreements: [String] = []
        for text in values {
            let eleven = ScalarMatcherTests.oracle(text, eleven11)
            let twelve = ScalarMatcherTests.oracle(text, twelve12)
            if YAMLSchema.yaml11.resolve(text) != eleven { disagreements.append("1.1 \(text.debugDescription): \(YAMLSchema.yaml11.resolve(text)), regex \(eleven)") }
            if YAMLSchema.yaml12.resolve(text) != twelve { disagreements.append("1.2 \(text.debugDescription): \(YAMLSchema.yaml12.resolve(text)), regex \(twelve)") }
            let int = (try? portableInt.wholeMatch(in: text)) != nil
            let float = (try? portableFloat.wholeMatch(in: text)) != nil
            if ScalarMatchers.isPortableInt(text.utf8.span) != int { disagreements.append("portable int \(text.debugDescription)") }
            if ScalarMatchers.isPortableFloat(text.utf8.span) != float { disagreements.append("portable float \(text.debugDescription)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.prefix(40).joined(separator: "\n"))")
    }
}

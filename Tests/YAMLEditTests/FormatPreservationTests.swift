import Testing
@testable import YAMLEdit

private func edit(_ text: String, _ operations: [YAMLEditOperation]) throws -> String {
    String(decoding: try YAMLDocument.applying(operations, to: Array(text.utf8)), as: UTF8.self)
}

private let sample = """
# Xshield agent configuration
configuration:
  # platform the agent reports to
  platform-url: https://platform.example.net:443
  # proxies, tried in this order; FQDNs are not supported
  proxy: http://10.10.6.4:3128   # primary first
  proxy-user: ctuser1
  heartbeat-interval: 60

  log-level: info
# trailing comment

"""

@Suite struct FormatPreservationTests {
    @Test func replacingAValueKeepsEveryOtherByte() throws {
        let result = try edit(sample, [.set(path: ["configuration", "proxy"], value: "http://10.10.6.4:3128,http://10.10.4.5:4128", type: .string)])
        #expect(result == sample.replacingOccurrences(of: "proxy: http://10.10.6.4:3128   #", with: "proxy: http://10.10.6.4:3128,http://10.10.4.5:4128   #"))
    }

    @Test func insertingAMissingKeyGoesAfterTheLastEntryOfItsMapping() throws {
        let result = try edit(sample, [.set(path: ["configuration", "proxy-password"], value: "Y29sb3JzMzIxMQ==", type: .string)])
        #expect(result == sample.replacingOccurrences(of: "  log-level: info\n", with: "  log-level: info\n  proxy-password: Y29sb3JzMzIxMQ==\n"))
    }

    @Test func removingAKeyRemovesItsWholeLineOnly() throws {
        let result = try edit(sample, [.remove(path: ["configuration", "proxy-user"])])
        #expect(result == sample.replacingOccurrences(of: "  proxy-user: ctuser1\n", with: ""))
    }

    @Test func removingAnAbsentKeyChangesNothing() throws {
        #expect(try edit(sample, [.remove(path: ["configuration", "nope"])]) == sample)
    }

    @Test func fourSpaceIndentationIsLearnedForNewParents() throws {
        let text = "agent:\n    name: a\n"
        let result = try edit(text, [.set(path: ["configuration", "proxy"], value: "http://1.2.3.4:80", type: .string)])
        #expect(result == "agent:\n    name: a\nconfiguration:\n    proxy: http://1.2.3.4:80\n")
    }

    @Test func quotedValuesKeepTheirQuoteStyle() throws {
        let text = "configuration:\n  proxy: 'http://1.1.1.1:80'\n  \"proxy-user\": \"a\"\n"
        let result = try edit(text, [
            .set(path: ["configuration", "proxy"], value: "http://2.2.2.2:80", type: .string),
            .set(path: ["configuration", "proxy-user"], value: "b", type: .string),
        ])
        #expect(result == "configuration:\n  proxy: 'http://2.2.2.2:80'\n  \"proxy-user\": \"b\"\n")
    }

    @Test func crlfLineEndingsAreKeptAndUsedForNewLines() throws {
        let text = "configuration:\r\n  proxy: a\r\n"
        let result = try edit(text, [.set(path: ["configuration", "proxy-user"], value: "u", type: .string)])
        #expect(result == "configuration:\r\n  proxy: a\r\n  proxy-user: u\r\n")
    }

    @Test func aByteOrderMarkStaysAndNonASCIITextBeforeTheEditDoesNotShiftIt() throws {
        let text = "\u{FEFF}# café ☕ 𝄞\nconfiguration:\n  name: \"Zoë\"\n  proxy: a\n"
        let result = try edit(text, [.set(path: ["configuration", "proxy"], value: "b", type: .string)])
        #expect(result == "\u{FEFF}# café ☕ 𝄞\nconfiguration:\n  name: \"Zoë\"\n  proxy: b\n")
    }

    @Test func noFinalNewlineStaysThatWay() throws {
        let text = "configuration:\n  proxy: a"
        #expect(try edit(text, [.set(path: ["configuration", "user"], value: "u", type: nil)]) == "configuration:\n  proxy: a\n  user: u")
        #expect(try edit("configuration:\n  proxy: a\n  user: u", [.remove(path: ["configuration", "user"])]) == text)
    }

    @Test func flowMappingsGetEntriesBeforeTheirClosingBrace() throws {
        let text = "configuration: {proxy: a, log-level: info}  # flow\n"
        #expect(try edit(text, [.set(path: ["configuration", "proxy-user"], value: "u", type: .string)])
                == "configuration: {proxy: a, log-level: info, proxy-user: u}  # flow\n")
        #expect(try edit(text, [.remove(path: ["configuration", "proxy"])]) == "configuration: {log-level: info}  # flow\n")
        #expect(try edit(text, [.remove(path: ["configuration", "log-level"])]) == "configuration: {proxy: a}  # flow\n")
    }

    @Test func anEmptyValueGetsTheNewValueAfterItsColon() throws {
        #expect(try edit("configuration:\n  proxy:\n  x: 1\n", [.set(path: ["configuration", "proxy"], value: "a", type: .string)])
                == "configuration:\n  proxy: a\n  x: 1\n")
    }

    @Test func anEmptyParentBecomesAMappingAndKeepsItsComment() throws {
        #expect(try edit("configuration: # the agent\nother: 1\n", [.set(path: ["configuration", "proxy"], value: "a", type: .string)])
                == "configuration:\n  proxy: a # the agent\nother: 1\n")
    }

    @Test func anEmptyFileGetsTheWholePath() throws {
        #expect(try edit("", [.set(path: ["configuration", "proxy"], value: "a", type: .string)]) == "configuration:\n  proxy: a\n")
        #expect(try edit("# only a comment", [.set(path: ["a"], value: "1", type: nil)]) == "# only a comment\na: 1")
    }

    @Test func valuesThatWouldReadAsAnotherTypeAreQuoted() throws {
        let text = "configuration:\n  proxy-user: x\n"
        for (value, written) in [("yes", "'yes'"), ("0777", "'0777'"), ("a: b", "'a: b'"), ("#x", "'#x'"),
                                 ("it's", "it's"), ("", "''"), ("tab\there", "\"tab\\there\""), ("~", "'~'")] {
            #expect(try edit(text, [.set(path: ["configuration", "proxy-user"], value: value, type: .string)])
                    == "configuration:\n  proxy-user: \(written)\n")
        }
    }

    @Test func aKeyKeepsItsType() throws {
        let text = "configuration:\n  heartbeat-interval: 60\n"
        #expect(try edit(text, [.set(path: ["configuration", "heartbeat-interval"], value: "90", type: nil)])
                == "configuration:\n  heartbeat-interval: 90\n")
        #expect(throws: YAMLEditError.typeMismatch(path: "configuration.heartbeat-interval", existingType: "an integer",
                                                   existingText: "60", newText: "soon")) {
            try edit(text, [.set(path: ["configuration", "heartbeat-interval"], value: "soon", type: nil)])
        }
    }

    @Test func listsKeepTheirForm() throws {
        let block = "configuration:\n  proxy:\n    - http://1.1.1.1:80   # first\n    - http://2.2.2.2:80\n  x: 1\n"
        #expect(try edit(block, [.setList(path: ["configuration", "proxy"], values: ["http://3.3.3.3:80", "http://4.4.4.4:80", "http://5.5.5.5:80"])])
                == "configuration:\n  proxy:\n    - http://3.3.3.3:80\n    - http://4.4.4.4:80\n    - http://5.5.5.5:80\n  x: 1\n")
        let flow = "configuration:\n  proxy: [a, b]\n"
        #expect(try edit(flow, [.setList(path: ["configuration", "proxy"], values: ["c"])]) == "configuration:\n  proxy: [c]\n")
    }

    @Test func blockScalarsAreReplacedUpToTheirLastLine() throws {
        let text = "a: |\n  line one\n  line two\nb: 2\n"
        #expect(try edit(text, [.set(path: ["a"], value: "x", type: .string)]) == "a: x\nb: 2\n")
    }

    @Test func removingTheOnlyTopLevelKeyLeavesAnEmptyMapping() throws {
        #expect(try edit("# c\na: 1\n", [.remove(path: ["a"])]) == "# c\n{}\n")
    }
}

@Suite struct EdgeCaseTests {
    @Test func blankLinesAfterABlockScalarStay() throws {
        let text = "a: |\n  line one\n\n\nb: 2\n"
        #expect(try edit(text, [.set(path: ["a"], value: "x", type: .string)]) == "a: x\n\n\nb: 2\n")
    }

    @Test func removingTheOnlyKeyOfAFileWithoutFinalNewline() throws {
        #expect(try edit("# c\na: 1", [.remove(path: ["a"])]) == "# c\n{}")
    }

    @Test func negativeNumbersKeepTheirType() throws {
        #expect(try edit("n: 5\n", [.set(path: ["n"], value: "-1", type: nil)]) == "n: -1\n")
        #expect(try edit("n: x\n", [.set(path: ["n"], value: "-x", type: .string)]) == "n: -x\n")
        #expect(try edit("n: x\n", [.set(path: ["n"], value: "- x", type: .string)]) == "n: '- x'\n")
    }

    @Test func aTypedValueThatDoesNotFitIsRefusedNotACrash() {
        #expect(throws: YAMLEditError.valueNotOfType(path: "n", type: "an integer", text: "abc")) {
            try edit("n:\n", [.set(path: ["n"], value: "abc", type: .int)])
        }
        #expect(throws: YAMLEditError.valueNotOfType(path: "m", type: "an integer", text: "abc")) {
            try edit("n: 1\n", [.set(path: ["m"], value: "abc", type: .int)])
        }
    }
}

@Suite struct EmptyFlowValueTests {
    @Test func anEmptyValueInAFlowMapping() throws {
        let result = try YAMLDocument.applying([.set(path: ["a"], value: "z", type: nil)], to: Array("{a: , b: 1}\n".utf8))
        #expect(String(decoding: result, as: UTF8.self) == "{a: z , b: 1}\n")
    }
}

@Suite struct ExplicitKeyTests {
    @Test func aNewKeyAfterExplicitKeysGoesAtTheQuestionMarksColumn() throws {
        let result = try YAMLDocument.applying([.set(path: ["c"], value: "3", type: nil)], to: Array("? a\n: 1\n? b\n: 2\n".utf8))
        #expect(String(decoding: result, as: UTF8.self) == "? a\n: 1\n? b\n: 2\nc: 3\n")
    }
}

@Suite struct OnlyKeyRemovalTests {
    @Test func removingTheOnlyKeyOfANestedMappingLeavesAnEmptyOne() throws {
        let text = "configuration:   # agent\n  # proxies\n  proxy: a\nother: 1\n"
        let result = try YAMLDocument.applying([.remove(path: ["configuration", "proxy"])], to: Array(text.utf8))
        #expect(String(decoding: result, as: UTF8.self) == "configuration: {}   # agent\n  # proxies\nother: 1\n")
    }
}

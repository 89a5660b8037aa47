import Foundation
import TestSupport
import Testing

/// The examples in `--help` (80 columns, as on a terminal) and in the man page (`man` at 80
/// columns) are pasted into shells: each must still be the command its author wrote. bash
/// itself is the judge: every example block runs with `ctagent` and `ctagentcmd` as shell
/// functions that print the arguments they got, and what they print must equal what the
/// examples as written (the commands' own discussion text) print.
@Suite struct CopyableExampleTests {
    /// The discussion text of the tool and every subcommand, as written in the code.
    private func discussions() throws -> [String] {
        let dump = try Harness.run(Harness.binary("ctagent"), ["--experimental-dump-help"])
        let object = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        var texts: [String] = []
        func walk(_ command: [String: Any]) {
            if let discussion = command["discussion"] as? String { texts.append(discussion) }
            (command["subcommands"] as? [[String: Any]] ?? []).forEach(walk)
        }
        walk(object?["command"] as? [String: Any] ?? [:])
        return texts
    }

    /// Example blocks: from a command line (`ctagent …`, `ctagentcmd …`, `printf …`, or shell
    /// variables set for the commands that follow) indented
    /// below a line ending in ':' (the man page puts a blank line between) to the next blank
    /// line, wrapped lines included.
    /// Each block comes with its heading line, which must not be wrapped either.
    private func exampleBlocks(_ text: String) -> [(heading: String, block: String)] {
        var blocks: [(String, String)] = [], current: [String]? = nil, heading = ""
        var previous = "", previousIndent = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix(while: { $0 == " " }).count
            if trimmed.isEmpty {
                if let block = current { blocks.append((heading, block.joined(separator: "\n"))) }
                current = nil
            } else if current != nil {
                current?.append(line)
            } else if previous.hasSuffix(":"), indent > previousIndent,
                      (["ctagent ", "ctagentcmd ", "printf "].contains(where: trimmed.hasPrefix) || trimmed.hasPrefix("proxies=")) || ["ctagent", "ctagentcmd"].contains(trimmed) {
                current = [line]
                heading = previous
            }
            if !trimmed.isEmpty { (previous, previousIndent) = (trimmed, indent) }
        }
        if let block = current { blocks.append((heading, block.joined(separator: "\n"))) }
        return blocks
    }

    /// What bash makes of a block: each command's arguments, one `<argument>` each.
    private func argumentsAsBashSeesThem(_ block: String) throws -> String {
        let prelude = """
            set -f
            ctagent() { printf '<%s>' ctagent "$@"; printf '\\n'; }
            ctagentcmd() { printf '<%s>' ctagentcmd "$@"; printf '\\n'; }

            """
        let result = try Harness.shell(prelude + block, environment: ["PW1": "one", "PW2": "two"])
        #expect(result.stderr.isEmpty, "bash could not run the example as rendered:\n\(block)\n\(result.stderr)")
        return result.stdout
    }

    /// "heading → what bash makes of the block", sorted.
    private func outcomes(_ blocks: [(heading: String, block: String)]) throws -> [String] {
        try blocks.map { $0.heading + " → " + (try argumentsAsBashSeesThem($0.block)) }.sorted()
    }

    @Test func helpExamplesAreTheSameCommandsAtEightyColumns() throws {
        let written = try outcomes(discussions().flatMap(exampleBlocks))
        #expect(written.count >= 10, "the examples were not found in the discussions")
        var rendered: [(heading: String, block: String)] = []
        for subcommand in ["", "updateProxy", "clearProxy", "showProxy", "updateConfig", "getConfig", "testProxy",
                           "encodePassword", "restart", "rollback"] {
            // Not a terminal: ArgumentParser wraps at 80 columns.
            let help = try Harness.run(Harness.binary("ctagent"), subcommand.isEmpty ? ["--help"] : ["help", subcommand])
            let blocks = exampleBlocks(help.stdout)
            for line in blocks.flatMap({ $0.block.split(separator: "\n") }) where line.count > 80 {
                #expect(Bool(false), "an example line wider than 80 columns: \(line)")
            }
            rendered += blocks
        }
        #expect(try outcomes(rendered) == written)
    }

    @Test func manualExamplesAreTheSameCommandsAtEightyColumns() throws {
        let written = try outcomes(discussions().flatMap(exampleBlocks))
        let page = try Harness.shell("MANWIDTH=80 man -l '\(Harness.packageRoot)/man/ctagent.1' 2>/dev/null | col -bx")
        #expect(page.status == 0)
        #expect(try outcomes(exampleBlocks(page.stdout)) == written)
    }
}

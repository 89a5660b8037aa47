import Foundation
import Glibc
import SystemCalls
import Testing

@Suite struct ChildProcessTests {
    /// The end of the output is what is kept, and the cut is said; memory stays bounded.
    @Test func theTailKeepsTheLastBytesAndSaysWhatWasCut() {
        var tail = OutputTail(limit: 8)
        for chunk in ["abcdef", "ghijkl", "mnop", "qrstuvwxyz"] { tail.append(Array(chunk.utf8)) }
        #expect(Array(tail.kept) == Array("stuvwxyz".utf8))
        #expect(tail.text == "[first 18 bytes of output not kept]\nstuvwxyz")
        var short = OutputTail(limit: 8)
        short.append(Array("ok\n".utf8))
        #expect(short.text == "ok\n")
    }

    @Test func statusAndOutputAreThoseOfTheProgram() {
        let outcome = ChildProcess.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 7"], timeout: .seconds(10))
        #expect(outcome == .exited(status: 7, output: "out\nerr\n"))
        #expect(ChildProcess.run(["/nonexistent/program"], timeout: .seconds(1)) == .couldNotStart(.noSuchFile))
    }

    /// What the program leaves running in its group dies with it, and at the deadline the whole
    /// group is killed.
    @Test func nothingOfTheGroupOutlivesTheProgram() throws {
        let marker = "1237.\(Int.random(in: 100...999))"
        defer { _ = ChildProcess.run(["pkill", "-KILL", "-f", "slee[p] \(marker)"], timeout: .seconds(5)) }
        #expect(ChildProcess.run(["/bin/sh", "-c", "sleep \(marker) & exit 0"], timeout: .seconds(10)) == .exited(status: 0, output: ""))
        let timedOut = ChildProcess.run(["/bin/sh", "-c", "sleep \(marker) & exec sleep 100"], timeout: .milliseconds(300))
        #expect(timedOut == .timedOut(output: ""))
        let left = ChildProcess.run(["pgrep", "-f", "slee[p] \(marker)"], timeout: .seconds(5))
        #expect(left == .exited(status: 1, output: ""), "no sleep \(marker) is left: \(left)")
    }

    /// A program that writes far more than the limit: it runs to its end, the tail is kept.
    @Test func aChattyProgramIsReadToItsEndWithBoundedOutput() {
        let outcome = ChildProcess.run(["/bin/sh", "-c", "head -c 50000000 /dev/zero; echo; echo last line"], timeout: .seconds(60))
        guard case .exited(0, let output) = outcome else { Issue.record("\(outcome)"); return }
        #expect(output.hasSuffix("\nlast line\n") && output.utf8.count < ChildProcess.outputLimit + 100)
    }
}

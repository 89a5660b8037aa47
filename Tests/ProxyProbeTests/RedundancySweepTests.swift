import Testing
@testable import ProxyProbe

/// The redundancy verdicts, from probes made up here (the end-to-end tests probe for real).
@Suite struct RedundancySweepTests {
    private let targets = [ProbeTarget(host: "127.0.0.1", port: 8443), ProbeTarget(host: "127.0.0.1", port: 9443)]

    /// `works[path][target]`; the last row is the direct path.
    private func sweep(_ works: [[Bool]]) -> RedundancySweep {
        var probes: [RedundancySweep.Probe] = []
        for (row, results) in works.enumerated() {
            let path: FailoverRoute.Path = row == works.count - 1 ? .direct : .proxy(row)
            for (column, ok) in results.enumerated() {
                probes.append(.init(path: path, target: targets[column],
                                    outcome: ok ? .reachedWithoutTLSCheck(status: 200, reason: "") : .refused, seconds: 0))
            }
        }
        return RedundancySweep(addresses: (0..<(works.count - 1)).map { "10.0.0.\($0 + 1):3128" }, targets: targets, probes: probes)
    }

    @Test func eachStateAndItsVerdict() {
        let all = sweep([[true, true], [true, true], [true, true]])
        #expect(all.redundancy == .allWorking && all.agentPath == .proxy(0))
        #expect(all.verdict == "all 2 proxies work; the agent uses #1")
        let degraded = sweep([[true, false], [true, true], [true, true], [false, false]])
        #expect(degraded.redundancy == .degraded && degraded.agentPath == .proxy(1))
        #expect(degraded.verdict == "2 of 3 proxies work; the agent uses #2 because #1 fails; #1 fails")
        let last = sweep([[false, false], [true, true], [false, false]])
        #expect(last.redundancy == .lastProxy)
        #expect(last.verdict == "no redundancy left: the agent uses #2 because #1 fails; if #2 fails the host loses the platform (the direct path fails too)")
        let direct = sweep([[false, true], [true, true]])
        #expect(direct.redundancy == .directOnly && direct.agentPath == .direct)
        #expect(sweep([[false, false], [true, false]]).redundancy == .noPath)
        #expect(sweep([[true, true]]).redundancy == .noProxies)
        #expect(sweep([[false, true]]).redundancy == .noPath)
        let single = sweep([[true, true], [true, true]])
        #expect(single.verdict == "the only proxy works; the agent uses it, and if it fails the agent will bypass to direct")
    }

    @Test func probesRunAtOnceAndComeBackInOrder() {
        let results = ConcurrentProbes.run((0..<40).map { index in { @Sendable () -> Int in index * 2 } }, limit: 16)
        #expect(results.map(\.value) == (0..<40).map { $0 * 2 })
    }
}

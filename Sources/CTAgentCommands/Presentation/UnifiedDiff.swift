/// A unified diff of two texts, line by line, as `diff -u` prints it, for `--dryRun`.
enum UnifiedDiff {
    static func make(old: [UInt8], new: [UInt8], oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        // Common prefix and suffix first: configs differ in a few lines, so the quadratic
        // table below stays tiny.
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
        // The table is quadratic in the lines between the first and the last change. Edits far
        // apart in a large file (a proxy near the top, a password at the end) would need one
        // of billions of cells: past a bound, the middle is shown as removed and added, which
        // is still a correct diff, only not the shortest.
        guard midA.count * midB.count <= 4_000_000 else {
            return render(a[..<prefix].map { .same($0) } + midA.map { .remove($0) } + midB.map { .add($0) }
                          + a[(a.count - suffix)...].map { .same($0) }, oldName: oldName, newName: newName, context: context)
        }
        var table = Array(repeating: Array(repeating: 0, count: midB.count + 1), count: midA.count + 1)
        for i in stride(from: midA.count - 1, through: 0, by: -1) {
            for j in stride(from: midB.count - 1, through: 0, by: -1) {
                table[i][j] = midA[i] == midB[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var ops: [Op] = a[..<prefix].map { .same($0) }
        var i = 0, j = 0
        while i < midA.count || j < midB.count {
            if i < midA.count && j < midB.count && midA[i] == midB[j] {
                ops.append(.same(midA[i])); i += 1; j += 1
            } else if i < midA.count && (j == midB.count || table[i + 1][j] >= table[i][j + 1]) {
                ops.append(.remove(midA[i])); i += 1
            } else {
                ops.append(.add(midB[j])); j += 1
            }
        }
        ops += a[(a.count - suffix)...].map { .same($0) }
        return render(ops, oldName: oldName, newName: newName, context: context)
    }

    private enum Op { case same(String), remove(String), add(String) }

    private static func render(_ ops: [Op], oldName: String, newName: String, context: Int) -> String {
        var out = "--- \(oldName)\n+++ \(newName)\n"
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        var index = 0
        // Line numbers are counted on from the previous hunk, not from the top each time.
        var oldLine = 1, newLine = 1, counted = 0
        while index < changed.count {
            let start = max(0, changed[index] - context)
            var end = min(ops.count, changed[index] + context + 1)
            while index + 1 < changed.count && changed[index + 1] - context <= end {
                index += 1
                end = min(ops.count, changed[index] + context + 1)
            }
            index += 1
            for op in ops[counted..<start] {
                switch op {
                case .same: oldLine += 1; newLine += 1
                case .remove: oldLine += 1
                case .add: newLine += 1
                }
            }
            var body = "", oldCount = 0, newCount = 0
            for op in ops[start..<end] {
                switch op {
                case .same(let line): body += " " + line + "\n"; oldCount += 1; newCount += 1
                case .remove(let line): body += "-" + line + "\n"; oldCount += 1
                case .add(let line): body += "+" + line + "\n"; newCount += 1
                }
            }
            out += "@@ -\(range(oldLine, oldCount)) +\(range(newLine, newCount)) @@\n" + body
            oldLine += oldCount
            newLine += newCount
            counted = end
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(count == 0 ? start - 1 : start),\(count)"
    }

    private static func lines(_ bytes: [UInt8]) -> [String] {
        var result = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self) }
        if bytes.last == UInt8(ascii: "\n") { result.removeLast() } else if !bytes.isEmpty {
            result[result.count - 1] += "\n\\ No newline at end of file"
        }
        return result
    }
}

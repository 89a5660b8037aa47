import Glibc

/// The walks that visit every node of a large file, run over the tree's records with no
/// handle, string or retain per node (a `YAMLNode` is made only for what they return).
extension YAMLTree {
    /// Whether a reader gets the same from two subtrees (the rule of `EditVerification.same`:
    /// kinds, values, anchors, tags, the types of scalars written differently, and children),
    /// compared record by record with no handle made per node and no retain per value: the
    /// verification compares every node of a large file this way.
    func readsAlike(_ index: Int, _ other: Int, in tree: YAMLTree) -> Bool {
        unsafe withValues { mine in
            unsafe tree.withValues { theirs in
                var pending = [(index, other)]
                while let (ourIndex, theirIndex) = pending.popLast() {
                    let a = records[ourIndex], b = tree.records[theirIndex]
                    guard a.kind == b.kind else { return false }
                    var ours: Properties?, others: Properties?
                    if a.flags.contains(.hasProperties) { ours = properties[UInt32(ourIndex)] }
                    if b.flags.contains(.hasProperties) { others = tree.properties[UInt32(theirIndex)] }
                    guard ours?.anchor == others?.anchor else { return false }
                    switch a.kind {
                    case .alias:
                        guard unsafe ValueBytes.equal(mine.of(a), theirs.of(b)) else { return false }
                    case .scalar:
                        guard unsafe ValueBytes.equal(mine.of(a), theirs.of(b)) else { return false }
                        if a.style == b.style && ours?.tag == others?.tag { continue }
                        let type = scalarType(ourIndex, tag: ours?.tag), otherType = tree.scalarType(theirIndex, tag: others?.tag)
                        guard type == otherType, type != .other || ours?.tag == others?.tag else { return false }
                    case .mapping, .sequence:
                        guard ours?.tag == others?.tag, a.count == b.count else { return false }
                        for offset in 0..<Int(a.count) {
                            pending.append((Int(children[Int(a.first) + offset]), Int(tree.children[Int(b.first) + offset])))
                        }
                    }
                }
                return true
            }
        }
    }

    /// The entries (0-based) of a mapping whose key is the scalar `text`, at most `limit` of
    /// them, found with no handle or retain per key (a lookup runs over every key of a large
    /// section).
    func entries(withKey text: String, inMapping index: Int, limit: Int) -> [Int] {
        let record = records[index]
        var found: [Int] = []
        var text = text
        text.withUTF8 { text in
            unsafe withValues { values in
                var position = Int(record.first)
                let end = Int(record.first + record.count) - 1
                while position < end && found.count < limit {
                    let key = records[Int(children[position])]
                    if key.kind == .scalar, unsafe ValueBytes.equal(values.of(key), text) {
                        found.append((position - Int(record.first)) / 2)
                    }
                    position += 2
                }
            }
        }
        return found
    }

    /// The nodes a walk through mapping values and list items meets that `marked` and `wanted`
    /// pick, with their places, in document order (see `YAMLNode.pick`). Record numbers and
    /// spans of the values only: no handle, string or retain per node passed over.
    func pick(from root: Int, marksSection: (Span<UInt8>) -> Bool,
              wanted: (Span<UInt8>) -> Bool) -> [(index: Int, place: [String], inMarkedSection: Bool)] {
        var found: [(index: Int, place: [String], inMarkedSection: Bool)] = []
        // The place, as record numbers of keys (0 and up) and list positions (-1 and down).
        var steps: [Int] = []
        func place() -> [String] {
            steps.map { step in
                guard step >= 0 else { return "#\(-step - 1)" }
                let text = String(decoding: value(of: step), as: UTF8.self)
                return records[step].kind == .scalar ? text : "*" + text
            }
        }
        unsafe withValues { values in
            func walk(_ node: Int, marked: Bool) {
                let record = records[node]
                switch record.kind {
                case .mapping:
                    var position = Int(record.first)
                    while position + 1 < Int(record.first + record.count) {
                        let key = Int(children[position]), keyRecord = records[key]
                        steps.append(key)
                        if marked && (keyRecord.kind == .scalar || keyRecord.kind == .alias) { found.append((key, place(), true)) }
                        let isScalar = keyRecord.kind == .scalar
                        let marks = unsafe isScalar && marksSection(Span(_unsafeElements: values.of(keyRecord)))
                        walk(Int(children[position + 1]), marked: marked || marks)
                        steps.removeLast()
                        position += 2
                    }
                case .sequence:
                    for item in 0..<Int(record.count) {
                        steps.append(-item - 1)
                        walk(Int(children[Int(record.first) + item]), marked: marked)
                        steps.removeLast()
                    }
                case .scalar, .alias:
                    if marked {
                        found.append((node, place(), true))
                    } else if record.kind == .scalar, unsafe wanted(Span(_unsafeElements: values.of(record))) {
                        found.append((node, place(), false))
                    }
                }
            }
            walk(root, marked: false)
        }
        return found
    }

    /// The first mapping, in document order, with a scalar key twice: the record numbers of
    /// the earlier key and of its repetition. One pass over the records; a table of key hashes
    /// only for mappings of more than eight entries.
    func firstDuplicateKey() -> (earlier: Int, key: Int)? {
        unsafe withValues { values in
            for record in records where record.kind == .mapping && record.count >= 4 {
                let keys = stride(from: Int(record.first), to: Int(record.first + record.count) - 1, by: 2).lazy
                    .map { Int(self.children[$0]) }.filter { self.records[$0].kind == .scalar }
                if record.count <= 16 {
                    for (position, key) in keys.enumerated() {
                        let bytes = unsafe values.of(records[key])
                        if let earlier = keys.prefix(position).first(where: { unsafe ValueBytes.equal(values.of(records[$0]), bytes) }) {
                            return (earlier, key)
                        }
                    }
                    continue
                }
                // Keys are told apart by a 64-bit FNV-1a hash of their bytes (cheaper than
                // String's hashing on a mapping of 150,000 keys); equal hashes are compared.
                var seen: [UInt64: Int] = [:]
                seen.reserveCapacity(Int(record.count) / 2)
                for key in keys {
                    let bytes = unsafe values.of(records[key])
                    guard let earlier = unsafe seen.updateValue(key, forKey: YAMLTree.fingerprint(bytes)) else { continue }
                    if unsafe ValueBytes.equal(values.of(records[earlier]), bytes) { return (earlier, key) }
                    // Two keys with one hash: rare; this mapping is checked exactly.
                    var first: [[UInt8]: Int] = [:]
                    for key in keys {
                        if let earlier = first.updateValue(key, forKey: Array(value(of: key))) { return (earlier, key) }
                    }
                    break
                }
            }
            return nil
        }
    }

    private static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for unsafe byte in unsafe bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }

    /// The keys leading from `root` to the node `target` (lists add no component): records are
    /// in document order, so each collection's child whose subtree holds `target` is the last
    /// one that starts at or before it.
    func keys(from root: Int, to target: Int) -> [String] {
        var keys: [String] = []
        var node = root
        while node != target {
            let record = records[node]
            guard record.kind == .mapping || record.kind == .sequence, record.count > 0 else { break }
            let range = Int(record.first)..<Int(record.first + record.count)
            guard let position = range.last(where: { Int(children[$0]) <= target }) else { break }
            if record.kind == .mapping && (position - range.lowerBound) % 2 == 1 {
                keys.append(String(decoding: value(of: Int(children[position - 1])), as: UTF8.self))
            } else if record.kind == .mapping && Int(children[position]) != target {
                keys.append("(a key)")  // into a mapping or list used as a key
            }
            node = Int(children[position])
        }
        return keys
    }
}

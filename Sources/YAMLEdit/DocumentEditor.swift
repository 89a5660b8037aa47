/// A replacement of a byte range of the document body.
struct Splice {
    var range: Range<Int>
    var text: String
}

/// What one operation comes to: the bytes to replace (none when the document already reads
/// as intended, e.g. removing an absent key) and the tree the result must read as.
struct EditPlan {
    var splice: Splice?
    var expected: YAMLNode
}

/// Works out, for one operation, the bytes to replace and the document the result must read as.
///
/// Positions come from libyaml's marks (see `YAMLNode`). The editor only ever touches the
/// changed value, or whole lines for inserted and removed keys, so every other byte stays.
struct DocumentEditor {
    let document: YAMLDocument
    var sourceText: SourceText { document.source }
    var body: [UInt8] { document.source.body }
    var eol: String { String(decoding: document.source.lineEnding, as: UTF8.self) }

    func plan(_ operation: YAMLEditOperation) throws -> EditPlan {
        let path = operation.path
        let location = try document.locate(path)
        let original = document.root ?? .emptyMapping()
        switch (operation, location) {
        case (.remove, .missing):
            return EditPlan(splice: nil, expected: original)
        case (.remove, .found(let chain)):
            let splice = try removal(chain, path: path)
            return EditPlan(splice: splice, expected: ExpectedDocument.removing(path, from: original))
        case (.set(_, let text, let type), .found(let chain)):
            let step = chain.last!
            let old = try editableScalar(step.value, path: path)
            let existingType: ScalarType? = old.isNull ? nil : old.scalarType
            guard let rendered = ScalarRendering.render(text, as: type ?? existingType, preferredStyle: old.style,
                                                        inFlow: step.inFlow) else {
                if let existingType, type == nil {
                    throw YAMLEditError.typeMismatch(path: path.dotted, existingType: existingType.description,
                                                     existingText: old.value, newText: text,
                                                     hint: ScalarRendering.hint(for: text, as: existingType))
                }
                throw YAMLEditError.valueNotOfType(path: path.dotted, type: (type ?? .other).description, text: text,
                                                   hint: type.flatMap { ScalarRendering.hint(for: text, as: $0) })
            }
            let splice = try replacement(of: old, with: rendered.source, path: path)
            return EditPlan(splice: splice, expected: ExpectedDocument.setting(path, to: .scalar(text, type: rendered.type), in: original))
        case (.setList(_, let values), .found(let chain)):
            let step = chain.last!
            let old = step.value
            guard old.anchor == nil, old.tag == nil else { throw YAMLEditError.valueHasProperties(path: path.dotted) }
            let source: String
            if old.kind == .sequence {
                source = renderList(values, flow: old.isFlow || step.inFlow, indent: column(of: old.start.offset))
                let splice = Splice(range: old.start.offset..<old.contentEnd, text: source)
                return EditPlan(splice: splice, expected: ExpectedDocument.setting(path, to: listNode(values), in: original))
            }
            _ = try editableScalar(old, path: path)
            source = renderList(values, flow: true, indent: 0)
            let splice = try replacement(of: old, with: source, path: path)
            return EditPlan(splice: splice, expected: ExpectedDocument.setting(path, to: listNode(values), in: original))
        case (.set(_, let text, let type), .missing(let chain, let mapping, let inFlow)):
            let remaining = Array(path[chain.count...])
            guard let rendered = ScalarRendering.render(text, as: type, preferredStyle: .plain, inFlow: inFlow) else {
                throw YAMLEditError.valueNotOfType(path: path.dotted, type: (type ?? .other).description, text: text,
                                                   hint: type.flatMap { ScalarRendering.hint(for: text, as: $0) })
            }
            let splice = try insertion(remaining, valueSource: rendered.source, chain: chain,
                                       mapping: mapping, inFlow: inFlow, path: path)
            return EditPlan(splice: splice, expected: ExpectedDocument.setting(path, to: .scalar(text, type: rendered.type), in: original))
        case (.setList(_, let values), .missing(let chain, let mapping, let inFlow)):
            let remaining = Array(path[chain.count...])
            let splice = try insertion(remaining, valueSource: renderList(values, flow: true, indent: 0),
                                       chain: chain, mapping: mapping, inFlow: inFlow, path: path)
            return EditPlan(splice: splice, expected: ExpectedDocument.setting(path, to: listNode(values), in: original))
        }
    }

    private func listNode(_ values: [String]) -> YAMLNode {
        YAMLNode.collection(.sequence, values.map { .scalar($0, type: .string) })
    }

    private func renderList(_ values: [String], flow: Bool, indent: Int) -> String {
        let items = values.map { ScalarRendering.render($0, as: .string, preferredStyle: .plain, inFlow: flow)!.source }
        if flow || items.isEmpty { return "[" + items.joined(separator: ", ") + "]" }
        return items.map { "- " + $0 }.joined(separator: eol + String(repeating: " ", count: indent))
    }

    private func editableScalar(_ node: YAMLNode, path: [String]) throws -> YAMLNode {
        switch node.kind {
        case .alias: throw YAMLEditError.pathThroughAlias(path: path.dotted)
        case .mapping, .sequence: throw YAMLEditError.valueNotScalar(path: path.dotted, found: node.kindDescription)
        case .scalar:
            // Replacing the text would also drop the anchor (breaking its aliases) or the tag.
            if node.anchor != nil || node.tag != nil { throw YAMLEditError.valueHasProperties(path: path.dotted) }
            return node
        }
    }

    /// Replaces a scalar's source text. An empty value (`key:`) is a zero-width mark just after
    /// the colon; a block scalar (`|`, `>`) runs to the start of the next less-indented line.
    private func replacement(of old: YAMLNode, with source: String, path: [String]) throws -> Splice {
        let start = old.start.offset, end = old.end.offset
        if start == end {
            // In block style the mark is just after the colon; in flow style (`{a: }`) it can
            // sit after the spaces that follow it.
            guard let colon = sourceText.colon(before: start) else {
                throw YAMLEditError.cannotEditSafely(path: path.dotted, reason: "its empty value has no colon to follow")
            }
            return Splice(range: colon + 1..<colon + 1, text: " " + source)
        }
        if (old.style == .literal || old.style == .folded) && end > start && body[end - 1] == UInt8(ascii: "\n") {
            // The block scalar's end mark also covers the blank lines after its text; those
            // lines are not part of the value and stay.
            var contentEnd = end
            while contentEnd > start {
                let lineStart = sourceText.lineStart(of: contentEnd - 1)
                guard lineStart > start, sourceText.isBlank(lineStart..<contentEnd) else { break }
                contentEnd = lineStart
            }
            return Splice(range: start..<contentEnd, text: source + eol)
        }
        return Splice(range: start..<end, text: source)
    }

    // MARK: inserting

    private func insertion(_ remaining: [String], valueSource: String, chain: [PathLocation.Step],
                           mapping: YAMLNode?, inFlow: Bool, path: [String]) throws -> Splice {
        if let mapping {
            if mapping.isFlow || inFlow {
                let entry = flowEntry(remaining, valueSource)
                guard mapping.isFlow else {
                    throw YAMLEditError.cannotEditSafely(path: path.dotted, reason: "a block mapping inside a flow collection")
                }
                if let last = mapping.children.last {
                    return Splice(range: last.contentEnd..<last.contentEnd, text: ", " + entry)
                }
                return Splice(range: mapping.closeOffset..<mapping.closeOffset, text: entry)
            }
            let indent = keyIndent(of: mapping.children[0])
            let lines = blockLines(remaining, valueSource, indent: indent)
            return lineInsertion(lines, after: mapping.contentEnd)
        }
        guard let parent = chain.last else {
            // No document yet: the new keys become the whole document.
            return lineInsertion(blockLines(remaining, valueSource, indent: 0), after: body.count)
        }
        let empty = parent.value
        // A null written out (`~`) is replaced from just after the colon; an empty one is
        // inserted at.
        var start = empty.start.offset
        if empty.end.offset > empty.start.offset {
            while start > 0 && (body[start - 1] == UInt8(ascii: " ") || body[start - 1] == UInt8(ascii: "\t")) { start -= 1 }
        }
        let replaced = start..<max(start, empty.end.offset)
        if inFlow {
            guard start > 0, body[start - 1] == UInt8(ascii: ":") else {
                throw YAMLEditError.cannotEditSafely(path: path.dotted, reason: "an empty flow value without a colon")
            }
            return Splice(range: replaced, text: " {" + flowEntry(remaining, valueSource) + "}")
        }
        guard start > 0, body[start - 1] == UInt8(ascii: ":") else {
            throw YAMLEditError.cannotEditSafely(path: path.dotted, reason: "its empty parent value has no colon to follow")
        }
        let indent = column(of: parent.key.start.offset) + indentStep
        let lines = blockLines(remaining, valueSource, indent: indent)
        // Any comment after the parent's colon stays at the end of the last inserted line.
        return Splice(range: replaced, text: eol + lines.joined(separator: eol))
    }

    private func flowEntry(_ keys: [String], _ valueSource: String) -> String {
        let key = ScalarRendering.renderKey(keys[0], inFlow: true)
        if keys.count == 1 { return key + ": " + valueSource }
        return key + ": {" + flowEntry(Array(keys.dropFirst()), valueSource) + "}"
    }

    private func blockLines(_ keys: [String], _ valueSource: String, indent: Int) -> [String] {
        keys.enumerated().map { depth, key in
            let prefix = String(repeating: " ", count: indent + depth * indentStep)
                + ScalarRendering.renderKey(key, inFlow: false) + ":"
            return depth == keys.count - 1 ? prefix + " " + valueSource : prefix
        }
    }

    /// New lines go after the line on which `offset` lies, in the file's own line ending;
    /// at the end of a file without a final newline they keep it that way.
    private func lineInsertion(_ lines: [String], after offset: Int) -> Splice {
        let text = lines.joined(separator: eol)
        if offset == 0 || body[offset - 1] == UInt8(ascii: "\n") {
            return Splice(range: offset..<offset, text: text + eol)
        }
        if let newline = body[offset...].firstIndex(of: UInt8(ascii: "\n")) {
            return Splice(range: newline + 1..<newline + 1, text: text + eol)
        }
        return Splice(range: body.count..<body.count, text: eol + text)
    }

    // MARK: removing

    private func removal(_ chain: [PathLocation.Step], path: [String]) throws -> Splice {
        let step = chain.last!
        let mapping = step.mapping
        let key = step.key, value = step.value
        let entryCount = mapping.children.count / 2
        if mapping.isFlow {
            if entryCount == 1 { return Splice(range: key.start.offset..<value.contentEnd, text: "") }
            if step.entryIndex < entryCount - 1 {
                let next = mapping.children[step.entryIndex * 2 + 2]
                return Splice(range: key.start.offset..<next.start.offset, text: "")
            }
            let previous = mapping.children[step.entryIndex * 2 - 1]
            return Splice(range: previous.contentEnd..<value.contentEnd, text: "")
        }
        let lineStart = sourceText.lineStart(of: key.start.offset)
        guard body[lineStart..<key.start.offset].allSatisfy({ $0 == UInt8(ascii: " ") }) else {
            throw YAMLEditError.cannotEditSafely(path: path.dotted, reason: "the key shares its line with other content")
        }
        var range = lineStart..<sourceText.lineEnd(after: max(value.contentEnd, key.end.offset))
        var tookPreviousLineEnding = false
        if range.upperBound == body.count && body.last != UInt8(ascii: "\n") && lineStart > 0 {
            // The last line has no newline: take the previous line's ending instead, so the
            // file still ends without one.
            let previousEnd = lineStart - 1 - (lineStart >= 2 && body[lineStart - 2] == 0x0D ? 1 : 0)
            range = previousEnd..<body.count
            tookPreviousLineEnding = true
        }
        guard entryCount == 1 else { return Splice(range: range, text: "") }
        // The mapping becomes empty, which block style cannot write: say `{}` instead.
        if chain.count == 1 {
            if tookPreviousLineEnding { return Splice(range: range, text: eol + "{}") }
            let keepsNewline = range.upperBound > 0 && body[range.upperBound - 1] == UInt8(ascii: "\n")
            return Splice(range: range, text: "{}" + (keepsNewline ? eol : ""))
        }
        // A nested mapping: `parent: {}`. One splice from just after the parent's colon to the
        // end of the removed lines, keeping whatever stood between them (comments, line breaks).
        let parentKey = chain[chain.count - 2].key
        guard let colon = sourceText.colon(after: parentKey.end.offset, before: range.lowerBound) else {
            throw YAMLEditError.cannotEditSafely(path: path.dotted,
                                                 reason: "it is the only key of \(Array(path.dropLast()).dotted); remove that instead")
        }
        let between = String(decoding: body[(colon + 1)..<range.lowerBound], as: UTF8.self)
        return Splice(range: (colon + 1)..<range.upperBound, text: " {}" + between)
    }

    // MARK: positions

    func column(of offset: Int) -> Int { sourceText.column(of: offset) }

    /// Where a mapping's keys start: the key's own column, or that of the `?` before an
    /// explicit key (`? key`).
    private func keyIndent(of key: YAMLNode) -> Int {
        let start = sourceText.lineStart(of: key.start.offset)
        var index = key.start.offset
        while index > start && body[index - 1] == UInt8(ascii: " ") { index -= 1 }
        if index > start && body[index - 1] == UInt8(ascii: "?") { return column(of: index - 1) }
        return column(of: key.start.offset)
    }

    /// The file's own indentation step: how far the first nested block mapping is indented
    /// beyond its parent's keys. Two spaces when the file has no nesting to learn from.
    var indentStep: Int {
        func search(_ node: YAMLNode) -> Int? {
            guard node.kind == .mapping || node.kind == .sequence, !node.isFlow else { return nil }
            for (index, child) in node.children.enumerated() {
                if node.kind == .mapping, index % 2 == 1, child.kind == .mapping, !child.isFlow,
                   let firstKey = child.children.first {
                    let parentKey = node.children[index - 1]
                    if firstKey.startLine > parentKey.startLine {
                        let step = column(of: firstKey.start.offset) - column(of: parentKey.start.offset)
                        if step > 0 { return step }
                    }
                }
                if let found = search(child) { return found }
            }
            return nil
        }
        return document.root.flatMap(search) ?? 2
    }
}

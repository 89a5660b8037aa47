/// One change to a document, addressed by a dotted path of mapping keys.
public enum YAMLEditOperation: Sendable, Equatable {
    /// Set a single value, creating the key (and missing parents) when absent.
    /// `type` forces the type the value must read back as (`.string` for names and
    /// passwords); `nil` keeps the existing value's type, or lets a new value resolve as written.
    case set(path: [String], value: String, type: ScalarType?)
    /// Set a list of strings. An existing list keeps its block or flow form.
    case setList(path: [String], values: [String])
    /// Remove a key and its value. Removing an absent key is not an error.
    case remove(path: [String])

    public var path: [String] {
        switch self {
        case .set(let path, _, _), .setList(let path, _), .remove(let path): return path
        }
    }
}

extension YAMLDocument {
    /// Applies the operations in order and returns the new file. Each step is spliced into the
    /// bytes, parsed again and compared with the intended document; any difference throws
    /// instead of returning a document that reads differently.
    public static func applying(_ operations: [YAMLEditOperation], to bytes: [UInt8]) throws -> [UInt8] {
        try YAMLDocument(bytes).applying(operations).bytes
    }

    /// The document after the operations, already parsed: callers that go on reading it (to
    /// validate, to list what changed) need not parse the file again.
    public func applying(_ operations: [YAMLEditOperation]) throws -> YAMLDocument {
        var current = self
        for operation in operations {
            current = try current.applying(operation)
        }
        return current
    }

    public func applying(_ operation: YAMLEditOperation) throws -> YAMLDocument {
        let plan = try DocumentEditor(document: self).plan(operation)
        guard let splice = plan.splice else { return self }
        // The new file made in one buffer: a large config is not copied twice.
        let body = source.body
        var bytes = source.bom
        bytes.reserveCapacity(source.bom.count + body.count - splice.range.count + splice.text.utf8.count)
        bytes += body[..<splice.range.lowerBound]
        bytes += splice.text.utf8
        bytes += body[splice.range.upperBound...]
        return try EditVerification.check(bytes, matches: plan.expected, original: root, path: operation.path.dotted)
    }
}

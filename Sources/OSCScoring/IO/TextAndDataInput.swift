// Reading responses, instruments, keys and norms from a String or Data as
// well as from bytes or a path: the conveniences a Swift user expects, each
// one call into the byte reader, so every path behaves (and fails) the same.

import Foundation

extension ResponseReader {
    /// Reads a whole responses file held in a `String` (its UTF-8 bytes).
    ///
    /// The same as `read(_:instrument:options:source:)` on `Array(text.utf8)`.
    /// - Throws: `ResponseFileError`, as every other way of reading.
    public static func read(_ text: String, instrument: Instrument, options: ReadOptions = ReadOptions(),
                            source: String) throws(ResponseFileError) -> ResponseTable {
        try read(Array(text.utf8), instrument: instrument, options: options, source: source)
    }

    /// Reads a whole responses file held in `Data`.
    /// - Throws: `ResponseFileError`, as every other way of reading.
    public static func read(_ data: Data, instrument: Instrument, options: ReadOptions = ReadOptions(),
                            source: String) throws(ResponseFileError) -> ResponseTable {
        try read([UInt8](data), instrument: instrument, options: options, source: source)
    }
}

extension Instrument {
    /// Loads an instrument definition from JSON text (see `init(json:source:)` for bytes).
    /// - Throws: `InstrumentFileError` naming `source` and the fault.
    public init(json text: String, source: String) throws(InstrumentFileError) {
        try self.init(json: Array(text.utf8), source: source)
    }
}

extension ScoringKey {
    /// Reads a scoring key from CSV text (see `init(csv:source:)` for bytes).
    /// - Throws: `ScoringKeyError` naming `source`, the line and the fault.
    public init(csv text: String, source: String) throws(ScoringKeyError) {
        try self.init(csv: Array(text.utf8), source: source)
    }
}

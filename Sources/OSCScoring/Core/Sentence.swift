// Ending an error message as one sentence.

enum Sentence {
    /// The text with a full stop at its end, unless it already ends in one
    /// or in a question mark ("did you mean 'B'?"): never "?." or "..".
    static func ended(_ text: String) -> String {
        text.hasSuffix(".") || text.hasSuffix("?") ? text : text + "."
    }
}

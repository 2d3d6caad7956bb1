/// Splits a command line into words the way a POSIX shell does for simple cases, so that
/// examples in help can be parsed and checked.
enum ShellWords {
    /// Returns the words of `line`, or `nil` when a quote is left open.
    ///
    /// Handles single quotes (no escapes inside), double quotes (backslash escapes `"`, `\`, `$`
    /// and `` ` ``) and backslash escapes outside quotes. Variables, globs and other expansions
    /// are kept as typed.
    static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = line.makeIterator()

        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let inner = characters.next() {
                    if inner == "'" {
                        closed = true
                        break
                    }
                    word.append(inner)
                }
                if !closed { return nil }
            case "\"":
                inWord = true
                var closed = false
                while let inner = characters.next() {
                    if inner == "\"" {
                        closed = true
                        break
                    }
                    if inner == "\\", let escaped = characters.next() {
                        if !"\"\\$`".contains(escaped) { word.append("\\") }
                        word.append(escaped)
                        continue
                    }
                    word.append(inner)
                }
                if !closed { return nil }
            case "\\":
                inWord = true
                if let escaped = characters.next() { word.append(escaped) }
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}

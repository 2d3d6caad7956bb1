/// Wraps prose to a number of terminal columns, for help text.
public enum TextWrapping {
    /// Returns the lines of `text` wrapped at word boundaries to fit `width` columns.
    ///
    /// Each line starts with `indent` spaces (the first line with `firstIndent`, if given). Blank
    /// lines in `text` separate paragraphs and are kept. Single line breaks are kept as well, so
    /// lists and command lines in a discussion stay as written. A word longer than the line is
    /// left whole on its own line rather than broken.
    public static func wrap(_ text: String, width: Int, indent: Int = 0, firstIndent: Int? = nil) -> [String] {
        var lines: [String] = []
        var isFirst = true

        for sourceLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = sourceLine.split(separator: " ")
            if words.isEmpty {
                lines.append("")
                isFirst = false
                continue
            }

            var line = ""
            var lineIndent = isFirst ? (firstIndent ?? indent) : indent
            var used = lineIndent
            for word in words {
                let wordWidth = DisplayWidth.columns(of: word)
                if !line.isEmpty, used + 1 + wordWidth > width {
                    lines.append(String(repeating: " ", count: lineIndent) + line)
                    line = ""
                    lineIndent = indent
                    used = indent
                }
                if !line.isEmpty {
                    line += " "
                    used += 1
                }
                line += word
                used += wordWidth
            }
            lines.append(String(repeating: " ", count: lineIndent) + line)
            isFirst = false
        }
        return lines
    }
}

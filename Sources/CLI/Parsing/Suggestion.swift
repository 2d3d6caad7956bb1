/// Finds the known name that a mistyped word was most likely meant to be, for "Did you mean"
/// hints.
enum Suggestion {
    /// Returns the candidate closest to `word`, or `nil` when none is close enough to help.
    ///
    /// Close means an edit distance (insertions, deletions, substitutions and swaps of two
    /// neighbouring characters) of at most a third of the word's length, with a minimum of 1
    /// and a maximum of 3. A unique candidate that starts with a word of 3 or more characters
    /// also matches, so `--skip` suggests `--skip-invalid`. Ties go to the earlier candidate.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let typed = Array(word.lowercased())
        let allowed = min(3, max(1, typed.count / 3))

        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(typed, Array(candidate.lowercased()))
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.candidate }

        let extensions = candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) }
        let bareLength = word.drop { $0 == "-" }.count
        if extensions.count == 1, bareLength >= 3 { return extensions[0] }
        return nil
    }

    /// Returns the optimal string alignment distance between `a` and `b`: the Levenshtein
    /// distance in which swapping two neighbouring characters counts as one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }

        // Rows of the dynamic programming table for prefixes of `a`; only three are needed.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)

        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}

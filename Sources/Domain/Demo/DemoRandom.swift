/// A small seeded pseudo-random generator (SplitMix64) for demo data.
///
/// It makes the same sequence from the same seed on every platform and Swift version, which the
/// standard library's `random(in:using:)` and `shuffled(using:)` do not promise, so the demo
/// generator uses only the helpers below. It is not suitable for secrets: login codes come from
/// `SystemRandomNumberGenerator`.
struct DemoRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    // MARK: - Raw output

    /// Returns the next 64 bits of the SplitMix64 sequence.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    // MARK: - Derived values

    /// Returns a uniform integer in `0..<bound`, without modulo bias (rejection sampling).
    mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "DemoRandom.int(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        let limit = UInt64.max - UInt64.max % range
        while true {
            let value = next()
            if value < limit {
                return Int(value % range)
            }
        }
    }

    /// Returns a uniform integer in the closed range.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.count)
    }

    /// True with the given probability in percent (0 to 100), at a resolution of 0.01%.
    mutating func chance(percent: Double) -> Bool {
        int(below: 10_000) < Int((percent * 100).rounded())
    }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[int(below: elements.count)]
    }

    /// An index chosen with probability proportional to its weight; weights must not all be zero.
    mutating func weightedIndex(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "DemoRandom.weightedIndex needs a positive total weight")
        var ticket = int(below: total)
        for (index, weight) in weights.enumerated() {
            if ticket < weight {
                return index
            }
            ticket -= weight
        }
        preconditionFailure("unreachable: the ticket is below the total weight")
    }

    /// The elements in a random order (Fisher-Yates).
    mutating func shuffled<Element>(_ elements: [Element]) -> [Element] {
        var result = elements
        var index = result.count - 1
        while index > 0 {
            let other = int(below: index + 1)
            result.swapAt(index, other)
            index -= 1
        }
        return result
    }

    /// `count` distinct indices from `0..<total`, in ascending order.
    mutating func sample(_ count: Int, from total: Int) -> Set<Int> {
        Set(shuffled(Array(0..<total)).prefix(count))
    }

    /// A version 4 GUID in lower-case text, for OneRoster `sourcedId` values.
    mutating func guid() -> String {
        let high = next()
        let low = next()
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift)))
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80

        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                text.append(UInt8(ascii: "-"))
            }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

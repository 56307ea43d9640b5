/// A word being stemmed by one of the Snowball algorithms (snowballstem.org): its letters,
/// the regions R1, R2 and RV, and the suffix tests every algorithm is written in.
///
/// Letters are Unicode scalars, so "ç" and "ã" are one letter each and suffix tests are cheap.
struct SnowballWord {
    var letters: [Unicode.Scalar]
    /// Start of R1, R2 and RV (== letters.count when the region is empty).
    var r1 = 0, r2 = 0, rv = 0
    let isVowel: (Unicode.Scalar) -> Bool

    init(_ word: String, vowels: Set<Unicode.Scalar>) {
        letters = Array(word.unicodeScalars)
        isVowel = { vowels.contains($0) }
        r1 = letters.count
        r2 = letters.count
        rv = letters.count
    }

    var count: Int { letters.count }
    var string: String { String(String.UnicodeScalarView(letters)) }

    /// R1 starts after the first non-vowel that follows a vowel; R2 is R1 of R1.
    mutating func markR1R2(r1Override: Int? = nil) {
        r1 = r1Override ?? region(after: 0)
        r2 = region(after: r1)
    }

    private func region(after start: Int) -> Int {
        var i = start + 1
        while i < letters.count {
            if !isVowel(letters[i]) && isVowel(letters[i - 1]) { return i + 1 }
            i += 1
        }
        return letters.count
    }

    /// RV as Portuguese and Spanish define it: after the next vowel if the second letter is a
    /// consonant; after the next consonant if the first two are vowels; otherwise after the third letter.
    mutating func markRV() {
        rv = letters.count
        guard letters.count >= 2 else { return }
        if !isVowel(letters[1]) {
            var i = 2
            while i < letters.count, !isVowel(letters[i]) { i += 1 }
            rv = min(i + 1, letters.count)
        } else if isVowel(letters[0]) {
            var i = 2
            while i < letters.count, isVowel(letters[i]) { i += 1 }
            rv = min(i + 1, letters.count)
        } else {
            rv = min(3, letters.count)
        }
    }

    func hasSuffix(_ suffix: [Unicode.Scalar]) -> Bool {
        suffix.count <= letters.count && letters[(letters.count - suffix.count)...].elementsEqual(suffix)
    }

    /// Whether `suffix` ends the word before the last `dropping` letters.
    func hasSuffix(_ suffix: [Unicode.Scalar], before dropping: Int) -> Bool {
        let end = letters.count - dropping
        return end >= suffix.count && letters[(end - suffix.count)..<end].elementsEqual(suffix)
    }

    /// The longest of `suffixes` (sorted longest first) that ends the word, as Snowball's `among`.
    func longestSuffix(_ suffixes: [[Unicode.Scalar]], before dropping: Int = 0) -> [Unicode.Scalar]? {
        suffixes.first { hasSuffix($0, before: dropping) }
    }

    /// Whether a suffix of `length` letters starts at or after `region`.
    func suffix(_ length: Int, isIn region: Int) -> Bool { letters.count - length >= region }

    mutating func drop(_ length: Int) { letters.removeLast(min(length, letters.count)) }

    mutating func replace(_ length: Int, with replacement: [Unicode.Scalar]) {
        drop(length)
        letters.append(contentsOf: replacement)
    }
}

/// Step-1 tails the Portuguese and Spanish stemmers share.
extension SnowballWord {
    static let afterAmente = suffixList("iv os ic ad")
    static let afterIdade = suffixList("abil ic iv")
    static let at = [scalars("at")]
    static let iv = scalars("iv")

    /// Drops the longest of `suffixes` when it lies in R2; returns what was dropped.
    @discardableResult
    mutating func dropLongestInR2(_ suffixes: [[Unicode.Scalar]]) -> [Unicode.Scalar]? {
        guard let found = longestSuffix(suffixes), suffix(found.count, isIn: r2) else { return nil }
        drop(found.count)
        return found
    }

    /// After `-amente`: `iv`, `os`, `ic` or `ad` in R2, and then `at` before a dropped `iv`.
    mutating func dropAfterAmente() {
        if dropLongestInR2(Self.afterAmente) == Self.iv { dropLongestInR2(Self.at) }
    }
}

/// Suffix lists as Snowball's `among` reads them: letters, longest first.
func suffixList(_ words: String) -> [[Unicode.Scalar]] {
    words.split(separator: " ").map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
}

func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

/// The Snowball English ("Porter2") stemmer, written from the algorithm's description at
/// snowballstem.org/algorithms/english/stemmer.html. Expects a lower-cased word.
struct EnglishStemmer: Sendable {
    private static let apostrophes = suffixList("'s' 's '")
    private static let step1a = suffixList("sses ied ies us ss s")
    private static let step1b = suffixList("eed eedly ed edly ing ingly")
    private static let vowels = Set("aeiouy".unicodeScalars)
    private static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "idly": "idl",
        "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
        "evening": "evening", "evenings": "evening", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
        "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]
    private static let afterStep1a: Set<String> = ["inning", "outing", "canning", "herring", "earring",
                                                   "proceed", "exceed", "succeed"]
    private static let r1Prefixes = suffixList("gener commun arsen past univers later emerg organ inter")
    private static let step2 = suffixList("""
        tional enci anci abli entli izer ization ational ation ator alism aliti alli fulness ousli \
        ousness iveness iviti biliti bli ogi fulli lessli li
        """)
    private static let step2Replacement: [String: String] = [
        "tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent", "izer": "ize",
        "ization": "ize", "ational": "ate", "ation": "ate", "ator": "ate", "alism": "al", "aliti": "al",
        "alli": "al", "fulness": "ful", "ousli": "ous", "ousness": "ous", "iveness": "ive", "iviti": "ive",
        "biliti": "ble", "bli": "ble", "ogi": "og", "fulli": "ful", "lessli": "less", "li": "",
    ]
    private static let step3 = suffixList("tional ational alize icate iciti ical ful ness ative")
    private static let step3Replacement: [String: String] = [
        "tional": "tion", "ational": "ate", "alize": "al", "icate": "ic", "iciti": "ic", "ical": "ic",
        "ful": "", "ness": "", "ative": "",
    ]
    private static let step4 = suffixList("al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion")

    func stem(_ input: String) -> String {
        let word = input.hasPrefix("'") ? String(input.dropFirst()) : input
        guard word.unicodeScalars.count > 2 else { return word }
        if let exception = Self.exceptions[word] { return exception }

        var w = SnowballWord(word, vowels: Self.vowels)
        for i in w.letters.indices where w.letters[i] == "y" && (i == 0 || Self.vowels.contains(w.letters[i - 1])) {
            w.letters[i] = "Y"
        }
        let prefix = Self.r1Prefixes.first { w.letters.starts(with: $0) }
        w.markR1R2(r1Override: prefix.map(\.count))
        if prefix != nil {
            w.r2 = { var i = w.r1 + 1
                while i < w.count { if !w.isVowel(w.letters[i]) && w.isVowel(w.letters[i - 1]) { return i + 1 }; i += 1 }
                return w.count }()
        }

        if let s = w.longestSuffix(Self.apostrophes) { w.drop(s.count) }
        step1a(&w)
        if Self.afterStep1a.contains(w.string) { return w.string }
        // "past" is an R1 prefix so that "paste", "pasted" and "pasting" keep their e (Snowball 3).
        if w.string == "paste" { return "paste" }
        let before1b = w.count
        step1b(&w)
        if w.count != before1b, w.string == "past" { return "paste" }
        step1c(&w)
        replace(&w, Self.step2, Self.step2Replacement, region: w.r1) { s, w in
            if s == scalars("ogi") { return w.hasSuffix(scalars("l"), before: 3) }
            if s == scalars("li") {
                guard let c = w.letters.dropLast(2).last else { return false }
                return "cdeghkmnrt".unicodeScalars.contains(c)
            }
            return true
        }
        replace(&w, Self.step3, Self.step3Replacement, region: w.r1) { s, w in
            s != scalars("ative") || w.suffix(5, isIn: w.r2)
        }
        step4(&w)
        step5(&w)
        return String(String.UnicodeScalarView(w.letters.map { $0 == "Y" ? "y" : $0 }))
    }

    private func hasVowel(_ w: SnowballWord, before length: Int) -> Bool {
        w.letters.dropLast(length).contains(where: w.isVowel)
    }

    private func step1a(_ w: inout SnowballWord) {
        guard let s = w.longestSuffix(Self.step1a) else { return }
        switch String(String.UnicodeScalarView(s)) {
        case "sses": w.drop(2)
        case "ied", "ies": w.replace(3, with: w.count > 4 ? scalars("i") : scalars("ie"))
        case "s": if w.letters.dropLast(2).contains(where: w.isVowel) { w.drop(1) }
        default: break
        }
    }

    private func step1b(_ w: inout SnowballWord) {
        guard let s = w.longestSuffix(Self.step1b) else { return }
        if s == scalars("eed") || s == scalars("eedly") {
            if w.suffix(s.count, isIn: w.r1) { w.replace(s.count, with: scalars("ee")) }
            return
        }
        guard hasVowel(w, before: s.count) else { return }
        w.drop(s.count)
        if w.hasSuffix(scalars("at")) || w.hasSuffix(scalars("bl")) || w.hasSuffix(scalars("iz")) {
            w.letters.append("e")
        } else if let last = w.letters.last, w.count >= 2, w.letters[w.count - 2] == last,
                  "bdfgmnprt".unicodeScalars.contains(last) {
            // Snowball 3 keeps "add", "ebb", "egg", "err", "off", "odd": a, e or o then a double.
            if !(w.count == 3 && "aeo".unicodeScalars.contains(w.letters[0])) { w.drop(1) }
        } else if isShort(w) {
            w.letters.append("e")
        }
    }

    private func step1c(_ w: inout SnowballWord) {
        guard let last = w.letters.last, last == "y" || last == "Y", w.count > 2,
              !w.isVowel(w.letters[w.count - 2]) else { return }
        w.letters[w.count - 1] = "i"
    }

    private func replace(_ w: inout SnowballWord, _ list: [[Unicode.Scalar]], _ table: [String: String], region: Int,
                         condition: ([Unicode.Scalar], SnowballWord) -> Bool) {
        guard let s = w.longestSuffix(list), w.suffix(s.count, isIn: region), condition(s, w) else { return }
        w.replace(s.count, with: scalars(table[String(String.UnicodeScalarView(s))] ?? ""))
    }

    private func step4(_ w: inout SnowballWord) {
        guard let s = w.longestSuffix(Self.step4), w.suffix(s.count, isIn: w.r2) else { return }
        if s == scalars("ion") {
            guard let c = w.letters.dropLast(3).last, c == "s" || c == "t" else { return }
        }
        w.drop(s.count)
    }

    private func step5(_ w: inout SnowballWord) {
        if w.hasSuffix(scalars("e")) {
            if w.suffix(1, isIn: w.r2) || (w.suffix(1, isIn: w.r1) && !endsInShortSyllable(w, dropping: 1)) { w.drop(1) }
        } else if w.hasSuffix(scalars("ll")), w.suffix(1, isIn: w.r2) {
            w.drop(1)
        }
    }

    /// A short syllable ends the word (after dropping the last `dropping` letters).
    private func endsInShortSyllable(_ w: SnowballWord, dropping: Int = 0) -> Bool {
        let l = Array(w.letters.dropLast(dropping))
        let n = l.count
        if n >= 3, !w.isVowel(l[n - 3]), w.isVowel(l[n - 2]), !w.isVowel(l[n - 1]),
           !"wxY".unicodeScalars.contains(l[n - 1]) { return true }
        return n == 2 && w.isVowel(l[0]) && !w.isVowel(l[1])
    }

    private func isShort(_ w: SnowballWord) -> Bool { w.r1 >= w.count && endsInShortSyllable(w) }
}

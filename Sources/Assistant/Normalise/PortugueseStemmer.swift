/// The Snowball Portuguese stemmer, written from the algorithm's description at
/// snowballstem.org/algorithms/portuguese/stemmer.html. Expects a lower-cased word with its accents.
struct PortugueseStemmer: Sendable {
    private static let vowels = Set("aeiouáéíóúâêô".unicodeScalars)

    // Step 1 groups; "ã"/"õ" are written "a~"/"o~" as the prelude leaves them.
    private static let deleteInR2 = suffixList("""
        eza ezas ico ica icos icas ismo ismos ável ível ista istas oso osa osos osas amento amentos \
        imento imentos adora ador aça~o adoras adores aço~es ante antes ância
        """)
    private static let logia = suffixList("logia logias")
    private static let ucao = suffixList("uça~o uço~es")
    private static let encia = suffixList("ência ências")
    private static let amente = suffixList("amente")
    private static let mente = suffixList("mente")
    private static let afterMente = suffixList("ante avel ível")
    private static let idade = suffixList("idade idades")
    private static let iva = suffixList("iva ivo ivas ivos")
    private static let ira = suffixList("ira iras")
    private static let step1 = (deleteInR2 + logia + ucao + encia + amente + mente + idade + iva + ira)
        .sorted { $0.count > $1.count }

    private static let verbSuffixes = suffixList("""
        ada ida ia aria eria iria ará ara erá era irá ava asse esse isse aste este iste ei arei erei \
        irei am iam ariam eriam iriam aram eram iram avam em arem erem irem assem essem issem ado ido \
        ando endo indo ara~o era~o ira~o ar er ir as adas idas ias arias erias irias arás aras erás \
        eras irás avas es ardes erdes irdes ares eres ires asses esses isses astes estes istes is ais \
        eis íeis aríeis eríeis iríeis áreis areis éreis ereis íreis ireis ásseis ésseis ísseis áveis \
        ados idos ámos amos íamos aríamos eríamos iríamos áramos éramos íramos ávamos emos aremos \
        eremos iremos ássemos êssemos íssemos imos armos ermos irmos eu iu ou ira iras
        """)
    private static let residual = suffixList("os a i o á í ó")
    private static let residualE = suffixList("e é ê")

    func stem(_ word: String) -> String {
        var prepared = ""
        for scalar in word.unicodeScalars {
            switch scalar {
            case "ã": prepared += "a~"
            case "õ": prepared += "o~"
            default: prepared.unicodeScalars.append(scalar)
            }
        }
        var w = SnowballWord(prepared, vowels: Self.vowels)
        w.markRV()
        w.markR1R2()

        let before = w.letters
        if standardSuffix(&w) || verbSuffix(&w) {
            if w.letters != before, w.hasSuffix(scalars("ci")), w.suffix(1, isIn: w.rv) { w.drop(1) }
        } else {
            if let s = w.longestSuffix(Self.residual), w.suffix(s.count, isIn: w.rv) { w.drop(s.count) }
        }
        residualForm(&w)

        var out = ""
        var previous: Unicode.Scalar?
        for scalar in w.letters {
            if scalar == "~", let p = previous, p == "a" || p == "o" {
                out.unicodeScalars.removeLast()
                out += p == "a" ? "ã" : "õ"
            } else {
                out.unicodeScalars.append(scalar)
            }
            previous = scalar
        }
        return out
    }

    /// Step 1; true when a suffix matched and its condition held.
    private func standardSuffix(_ w: inout SnowballWord) -> Bool {
        guard let s = w.longestSuffix(Self.step1) else { return false }
        let n = s.count
        if Self.deleteInR2.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
        } else if Self.logia.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.replace(n, with: scalars("log"))
        } else if Self.ucao.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.replace(n, with: scalars("u"))
        } else if Self.encia.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.replace(n, with: scalars("ente"))
        } else if Self.amente.contains(s) {
            guard w.suffix(n, isIn: w.r1) else { return false }
            w.drop(n)
            w.dropAfterAmente()
        } else if Self.mente.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
            w.dropLongestInR2(Self.afterMente)
        } else if Self.idade.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
            w.dropLongestInR2(SnowballWord.afterIdade)
        } else if Self.iva.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
            w.dropLongestInR2(SnowballWord.at)
        } else {  // ira, iras
            guard w.suffix(n, isIn: w.rv), w.hasSuffix(scalars("e"), before: n) else { return false }
            w.replace(n, with: scalars("ir"))
        }
        return true
    }

    /// Step 2: verb suffixes wholly inside RV.
    private func verbSuffix(_ w: inout SnowballWord) -> Bool {
        let limit = w.count - w.rv
        guard let s = Self.verbSuffixes.first(where: { $0.count <= limit && w.hasSuffix($0) }) else { return false }
        w.drop(s.count)
        return true
    }

    /// Step 5.
    private func residualForm(_ w: inout SnowballWord) {
        if let s = w.longestSuffix(Self.residualE) {
            guard w.suffix(s.count, isIn: w.rv) else { return }
            w.drop(s.count)
            if (w.hasSuffix(scalars("gu")) || w.hasSuffix(scalars("ci"))), w.suffix(1, isIn: w.rv) { w.drop(1) }
        } else if w.hasSuffix(scalars("ç")) {
            w.replace(1, with: scalars("c"))
        }
    }
}

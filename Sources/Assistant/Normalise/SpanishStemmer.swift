/// The Snowball Spanish stemmer, written from the algorithm's description at
/// snowballstem.org/algorithms/spanish/stemmer.html. Expects a lower-cased word with its accents.
struct SpanishStemmer: Sendable {
    private static let vowels = Set("aeiouáéíóúü".unicodeScalars)

    private static let pronouns = suffixList("me se sela selo selas selos la le lo las les los nos")
    private static let pronounHosts = suffixList("iéndo ándo ár ér ír ando iendo ar er ir yendo")

    private static let deleteInR2 = suffixList("""
        anza anzas ico ica icos icas ismo ismos able ables ible ibles ista istas oso osa osos osas \
        amiento amientos imiento imientos
        """)
    private static let ador = suffixList("adora ador ación adoras adores aciones ante antes ancia ancias")
    private static let logia = suffixList("logía logías")
    private static let ucion = suffixList("ución uciones")
    private static let encia = suffixList("encia encias")
    private static let amente = suffixList("amente")
    private static let mente = suffixList("mente")
    private static let afterMente = suffixList("ante able ible")
    private static let idad = suffixList("idad idades")
    private static let iva = suffixList("iva ivo ivas ivos")
    private static let step1 = (deleteInR2 + ador + logia + ucion + encia + amente + mente + idad + iva)
        .sorted { $0.count > $1.count }

    private static let yVerb = suffixList("ya ye yan yen yeron yendo yo yó yas yes yais yamos")
    private static let verbGu = suffixList("en es éis emos")
    private static let verbDelete = suffixList("""
        arían arías arán arás aríais aría aréis aríamos aremos ará aré erían erías erán erás eríais \
        ería eréis eríamos eremos erá eré irían irías irán irás iríais iría iréis iríamos iremos irá \
        iré aba ada ida ía ara iera ad ed id ase iese aste iste an aban ían aran ieran asen iesen aron \
        ieron ado ido ando iendo ió ar er ir as abas adas idas ías aras ieras ases ieses ís áis abais \
        íais arais ierais aseis ieseis asteis isteis ados idos amos ábamos íamos imos áramos iéramos \
        iésemos ásemos
        """)
    private static let verbs = (verbGu + verbDelete).sorted { $0.count > $1.count }
    private static let residual = suffixList("os a o á í ó")
    private static let residualE = suffixList("e é")

    func stem(_ word: String) -> String {
        var w = SnowballWord(word, vowels: Self.vowels)
        w.markRV()
        w.markR1R2()
        attachedPronoun(&w)
        if !standardSuffix(&w), !yVerbSuffix(&w) { _ = verbSuffix(&w) }
        residualSuffix(&w)
        let plain: [Unicode.Scalar: Unicode.Scalar] = ["á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u"]
        return String(String.UnicodeScalarView(w.letters.map { plain[$0] ?? $0 }))
    }

    /// Step 0: a pronoun after a gerund or infinitive in RV ("dándole" → "dando").
    private func attachedPronoun(_ w: inout SnowballWord) {
        guard let p = w.longestSuffix(Self.pronouns),
              let host = w.longestSuffix(Self.pronounHosts, before: p.count),
              w.suffix(p.count + host.count, isIn: w.rv) else { return }
        switch String(String.UnicodeScalarView(host)) {
        case "iéndo": w.replace(p.count + host.count, with: scalars("iendo"))
        case "ándo": w.replace(p.count + host.count, with: scalars("ando"))
        case "ár": w.replace(p.count + host.count, with: scalars("ar"))
        case "ér": w.replace(p.count + host.count, with: scalars("er"))
        case "ír": w.replace(p.count + host.count, with: scalars("ir"))
        case "yendo":
            if w.hasSuffix(scalars("u"), before: p.count + host.count) { w.drop(p.count) }
        default: w.drop(p.count)
        }
    }

    private func standardSuffix(_ w: inout SnowballWord) -> Bool {
        guard let s = w.longestSuffix(Self.step1) else { return false }
        let n = s.count
        if Self.deleteInR2.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
        } else if Self.ador.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
            if w.hasSuffix(scalars("ic")), w.suffix(2, isIn: w.r2) { w.drop(2) }
        } else if Self.logia.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.replace(n, with: scalars("log"))
        } else if Self.ucion.contains(s) {
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
        } else if Self.idad.contains(s) {
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
            w.dropLongestInR2(SnowballWord.afterIdade)
        } else {  // iva ivo ivas ivos
            guard w.suffix(n, isIn: w.r2) else { return false }
            w.drop(n)
            w.dropLongestInR2(SnowballWord.at)
        }
        return true
    }

    /// Step 2a: y-suffixes in RV after "u".
    private func yVerbSuffix(_ w: inout SnowballWord) -> Bool {
        let limit = w.count - w.rv
        guard let s = Self.yVerb.first(where: { $0.count <= limit && w.hasSuffix($0) }),
              w.hasSuffix(scalars("u"), before: s.count) else { return false }
        w.drop(s.count)
        return true
    }

    /// Step 2b: other verb suffixes in RV.
    private func verbSuffix(_ w: inout SnowballWord) -> Bool {
        let limit = w.count - w.rv
        guard let s = Self.verbs.first(where: { $0.count <= limit && w.hasSuffix($0) }) else { return false }
        w.drop(s.count)
        if Self.verbGu.contains(s), w.hasSuffix(scalars("gu")) { w.drop(1) }
        return true
    }

    /// Step 3.
    private func residualSuffix(_ w: inout SnowballWord) {
        if let s = w.longestSuffix(Self.residual) {
            if w.suffix(s.count, isIn: w.rv) { w.drop(s.count) }
        } else if let s = w.longestSuffix(Self.residualE), w.suffix(s.count, isIn: w.rv) {
            w.drop(s.count)
            if w.hasSuffix(scalars("gu")), w.suffix(1, isIn: w.rv) { w.drop(1) }
        }
    }
}

/// How a message feels, from a small lexicon per language (ours), VADER-style: word valences
/// summed, a negation within the three words before a word flips and halves it ("não gostei" is
/// negative, "não tenho reclamação" is not), intensifiers ("muito", "very") scale it, and
/// exclamation marks push it further. `score` is in [−1, 1].
public struct Sentiment: Sendable, Hashable {
    public enum Polarity: String, Sendable, Hashable, CaseIterable { case negative, neutral, positive }

    public let score: Double
    public var polarity: Polarity { score <= -0.05 ? .negative : score >= 0.05 ? .positive : .neutral }

    /// The sentiment of `text` read as `language`.
    public init(of text: String, language: Language) {
        let normaliser = Normaliser(emoji: .keep)
        let tokens = normaliser.tokens(text, language: language).map(Normaliser.fold)
        let lexicon = SentimentLexicon.valences(language)
        let negations = SentimentLexicon.negations(language)
        var sum = 0.0
        for (i, token) in tokens.enumerated() {
            guard var valence = SentimentLexicon.valence(of: token, in: lexicon) else { continue }
            let window = tokens[max(0, i - 3)..<i]
            if window.contains(where: { negations.contains($0) }) { valence *= -0.5 }
            if let previous = window.last, SentimentLexicon.intensifiers.contains(previous) { valence *= 1.5 }
            sum += valence
        }
        if sum != 0 { sum += (sum > 0 ? 1 : -1) * 0.3 * Double(min(3, text.filter { $0 == "!" }.count)) }
        score = sum / (sum * sum + 15).squareRoot()  // VADER's normalisation into (−1, 1)
    }
}

enum SentimentLexicon {
    static func negations(_ language: Language) -> Set<String> {
        switch language {  // "no" negates in Spanish and English but is "em + o" in Portuguese
        case .pt: ["nao", "nem", "nunca", "jamais", "nenhum", "nenhuma", "sem"]
        case .es: ["no", "ni", "nunca", "jamas", "nada", "ningun", "ninguna", "sin"]
        case .en: ["not", "never", "no", "don't", "dont", "didn't", "didnt", "isn't", "wasn't", "without", "nothing"]
        }
    }
    static let intensifiers: Set<String> = ["muito", "muita", "super", "bem", "tao", "extremamente", "demais",
                                            "muy", "mucho", "tan", "very", "really", "so", "extremely"]

    static func valences(_ language: Language) -> [String: Double] {
        switch language {
        case .pt: portuguese
        case .es: spanish
        case .en: english
        }
    }

    /// The valence of a folded token: exact entry, or the longest entry ending in "*" it starts with;
    /// emoji are read in every language.
    static func valence(of token: String, in lexicon: [String: Double]) -> Double? {
        if let v = lexicon[token] ?? emoji[token] { return v }
        var best: (length: Int, value: Double)?
        for (entry, value) in lexicon where entry.hasSuffix("*") {
            let stem = entry.dropLast()
            if token.hasPrefix(stem), stem.count > (best?.length ?? 0) { best = (stem.count, value) }
        }
        return best?.value
    }

    static let emoji: [String: Double] = ["😡": -3, "😠": -2.5, "🤬": -3, "😤": -2, "😞": -2, "😢": -2, "😭": -2, "👎": -2,
                                          "😊": 2, "😀": 2, "😁": 2, "🙂": 1.5, "😍": 3, "❤️": 3, "❤": 3, "👍": 1.5, "🙏": 1.5, "👏": 2]

    static let portuguese: [String: Double] = [
        "pessim*": -3, "horrivel": -3, "horriveis": -3, "absurd*": -2.5, "ruim": -2, "ruins": -2, "irritad*": -2.5,
        "insatisfeit*": -2.5, "descaso": -2.5, "vergonha": -2.5, "decepcion*": -2.5, "reclam*": -1.5, "raiva": -2.5,
        "lixo": -3, "pior": -2.5, "defeito": -2, "quebrad*": -2, "atrasad*": -1.5, "demora*": -1.5, "problema*": -1.5,
        "triste": -2, "chatead*": -2, "errad*": -1.5, "nojo*": -3, "palhacada": -3, "desrespeito": -2.5, "golpe": -3,
        "gostei": 2, "gosto": 1.5, "adorei": 3, "amei": 3, "otim*": 3, "excelente": 3, "maravilhos*": 3, "perfeit*": 3,
        "bom": 1.5, "boa": 1.5, "legal": 2, "satisfeit*": 2, "obrigad*": 1.5, "parabens": 2.5, "recomendo": 2.5,
        "show": 2, "top": 2, "incrivel": 3, "feliz": 2.5, "rapido": 1.5, "atencios*": 2,
    ]
    static let spanish: [String: Double] = [
        "pesim*": -3, "horrible": -3, "abuso": -2.5, "malo": -2, "mala": -2, "molest*": -2, "enojad*": -2.5,
        "insatisfech*": -2.5, "queja": -1.5, "verguenza": -2.5, "decepcion*": -2.5, "peor": -2.5, "danad*": -2,
        "roto": -2, "atrasad*": -1.5, "problema*": -1.5, "triste": -2, "equivocad*": -1.5, "estafa": -3,
        "gusto": 1.5, "gusta": 1.5, "encanto": 3, "excelente": 3, "genial": 3, "perfect*": 3, "bueno": 1.5, "buena": 1.5,
        "gracias": 1.5, "feliz": 2.5, "recomiendo": 2.5, "increible": 3, "rapido": 1.5, "amable": 2,
    ]
    static let english: [String: Double] = [
        "terrible": -3, "awful": -3, "horrible": -3, "worst": -3, "bad": -2, "upset": -2.5, "angry": -2.5, "annoyed": -2,
        "unhappy": -2.5, "outrageous": -2.5, "ridiculous": -2.5, "complaint": -1.5, "broken": -2, "late": -1.5,
        "problem": -1.5, "disappointed": -2.5, "wrong": -1.5, "scam": -3, "rude": -2.5, "hate": -3,
        "liked": 2, "love": 3, "loved": 3, "great": 3, "excellent": 3, "perfect": 3, "good": 1.5,
        "thanks": 1.5, "thank": 1.5, "happy": 2.5, "recommend": 2.5, "amazing": 3, "fast": 1.5, "kind": 2, "nice": 2,
    ]
}

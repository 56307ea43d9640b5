/// Words too common to help matching, per language (compared accent-folded).
///
/// Negations (não, nem, nunca, no, ni, not, never…) and question words (quando, onde, quanto,
/// qual, quem, como, cuándo, dónde, what, when, where, how…) are deliberately absent: they carry
/// the intent of a message ("não quero" is not "quero").
public enum StopWords {
    /// Whether the accent-folded, lower-case `word` is a stop word in `language`.
    public static func contains(_ word: String, language: Language) -> Bool {
        switch language {
        case .pt: portuguese.contains(word)
        case .es: spanish.contains(word)
        case .en: english.contains(word)
        }
    }

    /// Whether `word` (folded, lower case) asks a question ("qual", "cuándo", "how"). Kept by
    /// `contains` because it carries intent; knowledge retrieval drops it, since answers rarely
    /// contain the question word.
    public static func isQuestionWord(_ word: String, language: Language) -> Bool {
        switch language {
        case .pt: ["qual", "quais", "quando", "onde", "como", "quem", "quanto", "quanta", "quantos", "quantas",
                   "porque", "pq", "oque"].contains(word)
        case .es: ["cual", "cuales", "cuando", "donde", "como", "quien", "quienes", "cuanto", "cuanta", "cuantos",
                   "cuantas", "porque"].contains(word)
        case .en: ["what", "which", "when", "where", "how", "who", "whom", "why", "whose"].contains(word)
        }
    }

    static let portuguese: Set<String> = words("""
        a o as os um uma uns umas de do da dos das no na nos nas em ao aos à às pelo pela pelos pelas \
        por para pra pro e ou que se me te lhe lhes seu sua seus suas meu minha meus minhas teu tua \
        nosso nossa nossos nossas dele dela deles delas este esta estes estas esse essa esses essas \
        isto isso aquele aquela aquilo num numa eu tu ele ela nos vos eles elas voce voces mas tambem ja entao \
        ser é e foi era sao sera esta estao ter tem tinha ha havia seja sejam sido estar estou \
        muito muita muitos muitas mais menos ai la aqui ali bem so ate apos sob sobre entre com
        """)
    static let spanish: Set<String> = words("""
        el la los las un una unos unas de del al a en y o u e que se me te le les lo su sus mi mis \
        tu tus nuestro nuestra nuestros nuestras este esta estos estas ese esa esos esas esto eso \
        aquel aquella yo el ella nosotros vosotros ellos ellas usted ustedes pero tambien ya \
        ser es son fue era sera estar esta estan estoy haber ha han hay habia tener tiene tengo \
        muy mucho mucha muchos muchas mas menos aqui alli bien solo hasta tras sobre entre con por para
        """)
    static let english: Set<String> = words("""
        a an the of to in on at by for from with and or but if so as is are was were be been being \
        am do does did have has had having i me my we our us you your he him his she her it its they \
        them their this that these those there here then than too very just also into over about \
        up out off again will would shall should could can may might must
        """)

    private static func words(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Normaliser.fold(String($0)) })
    }
}

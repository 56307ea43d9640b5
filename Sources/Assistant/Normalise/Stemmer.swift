/// Reduces a word to its Snowball stem, so "agendamento" and "agendar" both match "agend".
///
/// The algorithms (Portuguese, Spanish, English Porter2) are our own code written from the
/// descriptions at snowballstem.org; their outputs are checked against the reference
/// implementation in `StemmerTests`. Give it a lower-cased word that still has its accents.
public struct Stemmer: Sendable {
    /// The language whose rules this stemmer applies.
    public let language: Language

    public init(_ language: Language) { self.language = language }

    /// The stem of one lower-cased word.
    public func stem(_ word: String) -> String {
        switch language {
        case .pt: PortugueseStemmer().stem(word)
        case .es: SpanishStemmer().stem(word)
        case .en: EnglishStemmer().stem(word)
        }
    }
}

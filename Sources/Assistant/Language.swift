/// The languages the assistant reads and answers in.
///
/// The Assistant target turns text into a decision: it knows no LMDB and no HTTP
/// (ARCHITECTURE.md). Each stage lives in its own folder: `Normalise/`, `Language/`, `Intent/`,
/// `Entities/`, `Retrieval/`, `Decision/`, `Compose/`.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case pt, es, en

    /// The language of a BCP 47 tag as browsers and settings write it (`pt-BR`, `es_419`, `EN`);
    /// nil for a language the assistant does not speak.
    public init?(tag: String) {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        self.init(rawValue: primary)
    }
}

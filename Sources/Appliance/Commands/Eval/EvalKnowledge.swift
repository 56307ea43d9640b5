import Assistant

/// The knowledge-base file every `atende eval` command reads (`{"id","kind":"faq","question","answer"}`
/// or `{"id","kind":"doc","title","text"}` a line, optional "language" and "section"), as an
/// in-memory index.
enum EvalKnowledge {
    /// The index of `path`, the ids it holds and how many FAQ pairs and documents it had.
    /// `language(tag, line, text)` chooses a unit's language from its "language" field (nil when
    /// absent) and its text.
    static func load(_ path: String, language: (String?, Int, String) throws -> Language) throws
        -> (index: KnowledgeIndex, ids: Set<String>, faqs: Int, documents: Int) {
        let entries = try JSONLines.read(path, as: EvalRetrieval.Entry.self)
        guard !entries.isEmpty else { throw EvalInputError(.badData, "\(path): no knowledge units (the file is empty)") }
        let index = try KnowledgeIndex()
        var seen = Set<String>(), faqs = 0, documents = 0
        for (line, entry) in entries {
            func required(_ value: String?, _ name: String) throws -> String {
                guard let value, !value.isEmpty else {
                    throw EvalInputError.line(line, of: path, "a \(entry.kind) needs a non-empty \"\(name)\"")
                }
                return value
            }
            guard !entry.id.isEmpty else { throw EvalInputError.line(line, of: path, "\"id\" is empty") }
            guard seen.insert(entry.id).inserted else {
                throw EvalInputError.line(line, of: path, "id \"\(entry.id)\" is used by an earlier line")
            }
            switch entry.kind {
            case "faq":
                let question = try required(entry.question, "question"), answer = try required(entry.answer, "answer")
                let unitLanguage = try language(entry.language, line, question + "\n" + answer)
                try index.add([.faq(id: entry.id, question: question, answer: answer, language: unitLanguage)])
                faqs += 1
            case "doc":
                let text = try required(entry.text, "text")
                let title = [entry.title, entry.section].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " > ")
                try index.addDocument(id: entry.id, title: title, text: text, language: try language(entry.language, line, title + "\n" + text))
                documents += 1
            default:
                throw EvalInputError.line(line, of: path, "unknown kind \"\(entry.kind)\" (expected \"faq\" or \"doc\")")
            }
        }
        return (index, seen, faqs, documents)
    }
}

import Storage

/// A small document type with one unique and one non-unique index, used across the storage tests.
struct Note: Codable, Sendable, Equatable {
    var id: DocumentID
    var email: String
    var tag: String
    var body: String
}

let notes = DocumentCollection<Note>(
    "notes", key: { Key($0.id) },
    indexes: [.unique("email", { [Key($0.email)] }), .multi("tag", { [Key($0.tag)] })])

let testSchema = Schema(version: 1, databases: [notes])

func note(_ n: Int, tag: String = "a", body: String = "") -> Note {
    Note(id: DocumentID(), email: "user\(n)@example.com", tag: tag, body: body)
}

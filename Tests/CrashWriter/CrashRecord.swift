import Storage

/// The document the crash writer stores: `n` is the number it acknowledges in the ledger. The
/// unique index on `n` makes a second copy of one acknowledged write impossible to store
/// silently, and lets the verifier find each acknowledged write without a scan.
///
/// The crash tests declare the same shape (`CrashHarness.records`) independently, so the
/// verifier does not trust the writer's own definition.
struct CrashRecord: Codable, Sendable {
    var id: DocumentID
    var n: Int
    var writer: Int
    var pad: String
}

let records = DocumentCollection<CrashRecord>(
    "records", key: { Key($0.id) },
    indexes: [.unique("n", { [Key(UInt64($0.n))] })])

let crashSchema = Schema(version: 1, databases: [records])

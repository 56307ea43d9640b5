import Assistant
import Desk
import Foundation
import Hummingbird
import NIOCore
import Storage

/// Assistant → Knowledge: FAQ entries and documents (read: Assistant view — Admins, Managers,
/// Operators; change: Assistant full — Admins and Managers), file imports, "try a question" and
/// the index's status.
struct KnowledgeController {
    let knowledge: Knowledge

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listFAQs) { request, _ in
            let listing = try knowledge.faqs(page: try PageRequest(query: request.uri.queryParameters.plain))
            return try jsonResponse(ListView(items: listing.items.map(FAQView.init), next_cursor: listing.nextCursor))
        }
        routes.add(APIRoutes.getFAQ) { _, context in
            try jsonResponse(FAQView(try knowledge.faq(try id(context, "FAQ entry"))))
        }
        routes.add(APIRoutes.createFAQ) { request, context in
            let body = try await request.decodeJSON(as: FAQBody.self, context: context)
            return try jsonResponse(FAQView(try await knowledge.createFAQ(try body.draft(), by: context.requester)), status: .created)
        }
        routes.add(APIRoutes.updateFAQ) { request, context in
            let id = try id(context, "FAQ entry")
            let body = try await request.decodeJSON(as: FAQBody.self, context: context)
            return try jsonResponse(FAQView(try await knowledge.updateFAQ(id, try body.draft(), by: context.requester)))
        }
        routes.add(APIRoutes.deleteFAQ) { _, context in
            try await knowledge.deleteFAQ(try id(context, "FAQ entry"), by: context.requester)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.listDocuments) { request, _ in
            let listing = try knowledge.documents(page: try PageRequest(query: request.uri.queryParameters.plain))
            return try jsonResponse(ListView(items: listing.items.map(DocumentView.init), next_cursor: listing.nextCursor))
        }
        routes.add(APIRoutes.getDocument) { _, context in
            try jsonResponse(DocumentView(try knowledge.document(try id(context, "document"))))
        }
        routes.add(APIRoutes.createDocument) { request, context in
            let body = try await request.decodeJSON(as: DocumentBody.self, context: context)
            return try jsonResponse(DocumentView(try await knowledge.createDocument(try body.draft(), by: context.requester)), status: .created)
        }
        routes.add(APIRoutes.updateDocument) { request, context in
            let id = try id(context, "document")
            let body = try await request.decodeJSON(as: DocumentBody.self, context: context)
            return try jsonResponse(DocumentView(try await knowledge.updateDocument(id, try body.draft(), by: context.requester)))
        }
        routes.add(APIRoutes.deleteDocument) { _, context in
            try await knowledge.deleteDocument(try id(context, "document"), by: context.requester)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.importKnowledge) { request, context in
            // The body is the file itself (no multipart to parse); what it is comes in the query.
            let query = request.uri.queryParameters.plain
            let limit = KnowledgeLimits.importBytes
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw Self.tooLarge }
            let buffer = try await request.collectedBody(upTo: limit) { Self.tooLarge }
            let format = try query["format"].map { text in
                guard let format = KnowledgeImport.Format(rawValue: text) else {
                    throw DeskError.invalid("format", "The format is one of: \(KnowledgeImport.Format.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return format
            } ?? .auto
            let batch = try KnowledgeImport.read(Array(buffer.readableBytesView), format: format, filename: query["filename"],
                                                 language: try parseLanguage(query["language"]), section: query["section"])
            let report = try await knowledge.importBatch(batch, by: context.requester)
            return try jsonResponse(ImportView(faqs: report.faqs.count, documents: report.documents.count, replaced: report.replaced), status: .created)
        }
        routes.add(APIRoutes.searchKnowledge) { request, context in
            let body = try await request.decodeJSON(as: SearchBody.self, context: context)
            let query = body.query.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !query.isEmpty else { throw DeskError.invalid("query", "Type a question to search for.") }
            guard query.count <= 1000 else { throw DeskError.invalid("query", "The question is longer than 1000 characters.") }
            let k = body.k ?? 5
            guard (1...20).contains(k) else { throw DeskError.invalid("k", "k is between 1 and 20.") }
            let hits = knowledge.search(query, language: try parseLanguage(body.language), k: k)
            return try jsonResponse(SearchView(query: query, passages: hits.map(PassageView.init)))
        }
        routes.add(APIRoutes.knowledgeStatus) { _, _ in
            try jsonResponse(KnowledgeStatusView(try knowledge.status()))
        }
    }

    static let tooLarge = DeskError(.fileTooLarge, "The file is larger than \(KnowledgeLimits.importBytes >> 20) MiB, the most one import may be.", field: "file")

    /// An id that is not one of ours names nothing: 404, as for an unknown one.
    private func id(_ context: StaffContext, _ kind: String) throws -> DocumentID {
        guard let text = context.parameters.get("id"), let id = DocumentID(string: text) else {
            throw APIError(status: .notFound, code: "not_found", message: "No \(kind) has this id.")
        }
        return id
    }
}

import Desk

extension OpenAPIDocument {
    /// Assistant → Knowledge's operations.
    nonisolated(unsafe) static let knowledgeOperations: [String: Operation] = [
        APIRoutes.listFAQs.operationID: Operation(summary: "FAQ entries, oldest first.", responses: [json("KnowledgeFAQList")], query: true),
        APIRoutes.createFAQ.operationID: Operation(
            summary: "Add an FAQ entry (question up to \(KnowledgeLimits.question) characters, answer up to \(KnowledgeLimits.answer), section up to \(KnowledgeLimits.section); language pt, es or en, pt when not given). It is searchable as soon as this answers. 422 invalid_field names the field.",
            request: "KnowledgeFAQRequest", responses: [json("KnowledgeFAQ", "201", "Created")]),
        APIRoutes.getFAQ.operationID: Operation(summary: "One FAQ entry.", responses: [json("KnowledgeFAQ")]),
        APIRoutes.updateFAQ.operationID: Operation(summary: "Replace an FAQ entry; the index is updated (found by its new words, no longer by its old).",
                                                   request: "KnowledgeFAQRequest", responses: [json("KnowledgeFAQ")]),
        APIRoutes.deleteFAQ.operationID: Operation(summary: "Delete an FAQ entry and take it out of the index.", responses: [("204", "Deleted", nil, "")]),
        APIRoutes.listDocuments.operationID: Operation(summary: "Documents, oldest first, with their text as given.",
                                                       responses: [json("KnowledgeDocumentList")], query: true),
        APIRoutes.createDocument.operationID: Operation(
            summary: "Add a document (text, markdown or html; title up to \(KnowledgeLimits.title) characters; text up to \(KnowledgeLimits.documentBytes >> 10) KiB). It is cut into passages by headings and paragraphs. 413 file_too_large, 422 invalid_field (an empty text, say).",
            request: "KnowledgeDocumentRequest", responses: [json("KnowledgeDocument", "201", "Created")]),
        APIRoutes.getDocument.operationID: Operation(summary: "One document.", responses: [json("KnowledgeDocument")]),
        APIRoutes.updateDocument.operationID: Operation(summary: "Replace a document; its passages are cut again.",
                                                        request: "KnowledgeDocumentRequest", responses: [json("KnowledgeDocument")]),
        APIRoutes.deleteDocument.operationID: Operation(summary: "Delete a document and its passages.", responses: [("204", "Deleted", nil, "")]),
        APIRoutes.importKnowledge.operationID: Operation(
            summary: "Import a file: the body is the file's bytes (UTF-8, up to \(KnowledgeLimits.importBytes >> 20) MiB). Plain text, Markdown and HTML become one document; CSV rows question,answer (header optional, comma, semicolon or tab) and JSON Lines ({\"id\",\"kind\":\"faq\",\"question\",\"answer\"} or {\"id\",\"kind\":\"doc\",\"title\",\"text\"}, each with an optional language and section) become FAQ entries and documents. A JSON Lines id already imported replaces that entry (replaced counts them), so a file can be imported again after changes. All or nothing: 422 invalid_field file names the bad line or row; 413 file_too_large.",
            rawRequest: Dictionary(uniqueKeysWithValues: ["text/plain", "text/markdown", "text/html", "text/csv", "application/x-ndjson", "application/octet-stream"]
                .map { ($0, ["schema": ["type": "string", "format": "binary"]] as JSON) }),
            responses: [json("KnowledgeImport", "201", "Imported")],
            parameters: [["name": "format", "in": "query", "required": false,
                          "schema": ["type": "string", "enum": KnowledgeImport.Format.allCases.map(\.rawValue)]],
                         ["name": "language", "in": "query", "required": false, "schema": ["type": "string", "enum": ["pt", "es", "en"]]],
                         ["name": "section", "in": "query", "required": false, "schema": ["type": "string", "maxLength": KnowledgeLimits.section]],
                         ["name": "filename", "in": "query", "required": false, "description": "The file's name: its extension chooses the format when format is auto, and it titles a document.",
                          "schema": ["type": "string", "maxLength": 240]]]),
        APIRoutes.searchKnowledge.operationID: Operation(
            summary: "Try a question: the passages the assistant would answer from, best first, with the fused score and the lexical (BM25) and dense (embedding) scores behind it (null when the passage was not among that ranking's candidates). k is 1 to 20 (5).",
            request: "KnowledgeSearchRequest", responses: [json("KnowledgeSearchResult")]),
        APIRoutes.knowledgeStatus.operationID: Operation(
            summary: "Counts, the embedder and the fusion weight; reindexing is true while the index is rebuilt for a new embedder (searches are lexical only meanwhile).",
            responses: [json("KnowledgeStatus")]),
    ]
}

extension OpenAPISchemas {
    nonisolated(unsafe) static let languageCode: JSON = ["type": "string", "enum": ["pt", "es", "en"]]
    nonisolated(unsafe) static let nullableSection: JSON = ["type": ["string", "null"], "maxLength": KnowledgeLimits.section]

    nonisolated(unsafe) static let knowledge: JSON = [
        "KnowledgeFAQ": object([
            "id": string, "question": string, "answer": string, "language": languageCode, "section": nullableString,
            "created_at": dateTime, "updated_at": dateTime, "external_id": nullableString,
        ]),
        "KnowledgeFAQList": list(of: "KnowledgeFAQ"),
        "KnowledgeFAQRequest": object([
            "question": ["type": "string", "minLength": 1, "maxLength": KnowledgeLimits.question],
            "answer": ["type": "string", "minLength": 1, "maxLength": KnowledgeLimits.answer],
            "language": languageCode, "section": nullableSection,
        ], required: ["question", "answer"]),
        "KnowledgeDocument": object([
            "id": string, "title": string, "text": string, "format": ["type": "string", "enum": KnowledgeFormat.allCases.map(\.rawValue)],
            "language": languageCode, "section": nullableString, "created_at": dateTime, "updated_at": dateTime,
            "external_id": nullableString,
        ]),
        "KnowledgeDocumentList": list(of: "KnowledgeDocument"),
        "KnowledgeDocumentRequest": object([
            "title": ["type": "string", "minLength": 1, "maxLength": KnowledgeLimits.title],
            "text": ["type": "string", "minLength": 1],
            "format": ["type": "string", "enum": ["text", "markdown", "html"]],
            "language": languageCode, "section": nullableSection,
        ], required: ["title", "text"]),
        "KnowledgeImport": object(["faqs": ["type": "integer", "minimum": 0], "documents": ["type": "integer", "minimum": 0],
                                   "replaced": ["type": "integer", "minimum": 0]]),
        "KnowledgeSearchRequest": object([
            "query": ["type": "string", "minLength": 1, "maxLength": 1000],
            "language": languageCode, "k": ["type": "integer", "minimum": 1, "maximum": 20],
        ], required: ["query"]),
        "KnowledgePassage": object([
            "id": string, "source_id": string, "kind": ["type": "string", "enum": ["faq", "doc"]], "title": string, "text": string,
            "score": ["type": "number"], "lexical_score": ["type": ["number", "null"]], "dense_score": ["type": ["number", "null"]],
        ]),
        "KnowledgeSearchResult": object([
            "query": string, "passages": ["type": "array", "items": ref("KnowledgePassage")],
            "decision": ["type": "object", "description": "The assistant's would-be reply, confidence and decision (added by the assistant's decision step)."],
        ], required: ["query", "passages"]),
        "KnowledgeStatus": object([
            "faqs": ["type": "integer", "minimum": 0], "documents": ["type": "integer", "minimum": 0],
            "passages": ["type": "integer", "minimum": 0], "embedder": string,
            "dense_weight": ["type": "number", "minimum": 0, "maximum": 1], "reindexing": ["type": "boolean"],
        ]),
    ]
}

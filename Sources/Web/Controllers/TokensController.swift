import Desk
import Hummingbird
import Storage

/// Settings → API tokens (admin): list, create (secret shown once), revoke.
struct TokensController {
    let desk: Desk

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listTokens) { request, _ in
            let listing = try desk.listTokens(try PageRequest(query: request.uri.queryParameters.plain))
            return try jsonResponse(ListView(items: listing.items.map(TokenView.init), next_cursor: listing.nextCursor))
        }
        routes.add(APIRoutes.createToken) { request, context in
            struct Body: Decodable { let name: String, role: String, owner_id: String? }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            var owner: StaffID?
            if let text = body.owner_id {
                guard let id = StaffID(text) else { throw DeskError.invalid("owner_id", "No active staff member has this id.") }
                owner = id
            }
            let created = try await desk.createToken(name: body.name, role: body.role, for: owner, by: context.requester)
            return try jsonResponse(NewTokenView(token: TokenView(created.token), secret: created.secret), status: .created)
        }
        routes.add(APIRoutes.revokeToken) { _, context in
            guard let text = context.parameters.get("id"), let id = DocumentID(string: text) else {
                throw APIError(status: .notFound, code: "not_found", message: "No API token has this id.")
            }
            try await desk.revokeToken(id, by: context.requester)
            return Response(status: .noContent)
        }
    }
}

/// Settings → Audit log (admin), newest first.
struct AuditController {
    let desk: Desk

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listAudit) { request, _ in
            let listing = try desk.listAudit(try PageRequest(query: request.uri.queryParameters.plain))
            return try jsonResponse(ListView(items: listing.items.map { AuditView(entry: $0) }, next_cursor: listing.nextCursor))
        }
    }
}

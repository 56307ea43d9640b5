import Desk
import Hummingbird

/// Settings → Staff: list (manager, admin), add, change, reset password (admin).
struct StaffController {
    let desk: Desk

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listStaff) { request, _ in
            let listing = try desk.listStaff(try PageRequest(query: request.uri.queryParameters.plain))
            return try jsonResponse(ListView(items: listing.items, next_cursor: listing.nextCursor))
        }
        routes.add(APIRoutes.assignableStaff) { _, _ in
            try jsonResponse(ListView(items: try desk.assignableStaff().map(AssigneeView.init), next_cursor: nil))
        }
        routes.add(APIRoutes.createStaff) { request, context in
            struct Body: Decodable { let name: String, email: String, role: String, password: String }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            let member = try await desk.createStaff(name: body.name, email: body.email, role: body.role,
                                                    password: body.password, by: context.requester)
            return try jsonResponse(member, status: .created)
        }
        routes.add(APIRoutes.updateStaff) { request, context in
            struct Body: Decodable { let name: String?, role: String?, disabled: Bool? }
            let id = try staffID(context)
            let body = try await request.decodeJSON(as: Body.self, context: context)
            let member = try await desk.updateStaff(id, name: body.name, role: body.role, disabled: body.disabled,
                                                    by: context.requester)
            return try jsonResponse(member)
        }
        routes.add(APIRoutes.resetPassword) { request, context in
            struct Body: Decodable { let password: String }
            let id = try staffID(context)
            let body = try await request.decodeJSON(as: Body.self, context: context)
            try await desk.resetPassword(of: id, to: body.password, by: context.requester)
            return Response(status: .noContent)
        }
    }

    /// An id that is not one of ours cannot name a staff member: 404, as for an unknown one.
    private func staffID(_ context: StaffContext) throws -> StaffID {
        guard let text = context.parameters.get("id"), let id = StaffID(text) else {
            throw APIError(status: .notFound, code: "not_found", message: "No staff member has this id.")
        }
        return id
    }
}

extension Parameters {
    /// The last value of each query key (repeated keys: the last wins).
    var plain: [String: String] {
        var out: [String: String] = [:]
        for (key, value) in self { out[String(key)] = String(value) }
        return out
    }
}

/// The Assignee object: who a conversation can be given to (no email: Chats roles see it).
struct AssigneeView: Encodable {
    let id: String, name: String, role: String
    init(_ member: StaffMember) { (id, name, role) = (member.id.description, member.name, member.role.rawValue) }
}

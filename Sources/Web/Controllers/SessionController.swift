import Desk
import Hummingbird

/// Sign in, who am I, sign out, change my password, confirm my password before a sensitive change.
struct SessionController {
    let desk: Desk

    func addRoutes(to routes: RouteRegistrar) {
        routes.addPublic(APIRoutes.login) { request, context in
            struct Body: Decodable { let email: String, password: String }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            let old = request.cookies[context.sessionCookieName]?.value
            let session = try await desk.login(email: body.email, password: body.password, ip: context.clientIP, replacing: old)
            var response = try jsonResponse(SessionView(session.staff, businessTimeZone: try desk.attendant.settings().timeZone))
            SessionCookie.set(session, secure: context.isSecure, on: &response)
            return response
        }
        routes.add(APIRoutes.session) { _, context in
            guard case .staff(let member, _) = context.principal else { throw APIError.sessionRequired }
            return try jsonResponse(SessionView(member, businessTimeZone: try desk.attendant.settings().timeZone))
        }
        routes.add(APIRoutes.logout) { _, context in
            guard case .staff(_, let handle) = context.principal else { throw APIError.sessionRequired }
            try await desk.logout(handle, by: context.requester)
            var response = Response(status: .noContent)
            SessionCookie.clear(secure: context.isSecure, on: &response)
            return response
        }
        routes.add(APIRoutes.changePassword) { request, context in
            guard case .staff(let member, let handle) = context.principal else { throw APIError.sessionRequired }
            struct Body: Decodable { let current_password: String, new_password: String }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            try await desk.changePassword(of: member, current: body.current_password, new: body.new_password,
                                          keeping: handle, ip: context.clientIP)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.confirmPassword) { request, context in
            guard case .staff(let member, let handle) = context.principal else { throw APIError.sessionRequired }
            struct Body: Decodable { let password: String }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            try await desk.confirmPassword(body.password, of: member, session: handle, ip: context.clientIP)
            return Response(status: .noContent)
        }
    }
}

import Desk
import Hummingbird

/// First run: tells the dashboard whether setup is needed and creates the first admin with the
/// one-time token from the server log.
struct SetupController {
    let desk: Desk

    func addRoutes(to routes: RouteRegistrar) {
        routes.addPublic(APIRoutes.setupStatus) { _, _ in
            struct Status: Encodable { let required: Bool }
            return try jsonResponse(Status(required: try desk.isSetupRequired()))
        }
        routes.addPublic(APIRoutes.setup) { request, context in
            struct Body: Decodable { let token: String, name: String, email: String, password: String }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            let session = try await desk.completeSetup(token: body.token, name: body.name, email: body.email,
                                                       password: body.password, ip: context.clientIP)
            var response = try jsonResponse(StaffOnlyView(staff: session.staff), status: .created)
            SessionCookie.set(session, secure: context.isSecure, on: &response)
            return response
        }
    }
}

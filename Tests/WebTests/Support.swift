import AtendeTesting
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import Storage
import Testing
import Web

let strongPassword = "correct horse battery staple"

/// One metrics registry for the whole test process: swift-metrics can be bootstrapped only once.
let testMetrics: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}()

/// Who sends a request in a scenario.
enum Caller: Sendable, Hashable, CustomStringConvertible {
    case guest
    case session(Role)
    case token(Role)

    static let all: [Caller] = [.guest] + Role.allCases.map(Caller.session) + Role.allCases.map(Caller.token)

    var description: String {
        switch self {
        case .guest: "a guest"
        case .session(let role): "a signed-in \(role.rawValue)"
        case .token(let role): "an \(role.rawValue) API token"
        }
    }
}

/// A real server over a real LMDB store in a temporary directory: the owner (admin) plus one
/// staff member, session and API token per role.
struct TestDesk: Sendable {
    let desk: Desk
    let server: WebServer
    let clock: ManualDeskClock
    let sessions: [Role: String]
    let tokens: [Role: NewAPIToken]
    let staff: [Role: StaffMember]

    static func with<R>(configuration: WebConfiguration = WebConfiguration(), desk deskConfiguration: DeskConfiguration = DeskConfiguration(),
                        seeded: Bool = true, logger: Logger = .quiet, vaultSecrets: [String: String] = [:],
                        _ body: (TestDesk) async throws -> R) async throws -> R {
        _ = testMetrics
        let schema = Schema(version: Desk.schemaVersion, databases: [Vault.database] + Desk.databases)
        return try await withTemporaryStore(schema: schema) { store, _ in
            let clock = ManualDeskClock()
            let keyDirectory = try TemporaryDirectory("atende-key")
            defer { keyDirectory.remove() }
            let master = try MasterKey.load(from: .file(keyDirectory.appending("master.key")), createIfMissing: true)
            let vault = try await Vault.open(store: store, masterKey: master)
            for (name, value) in vaultSecrets { try await vault.set(name, value: value) }
            let desk = Desk(store: store, hasher: BcryptHasher(cost: 4), clock: clock, configuration: deskConfiguration,
                            vault: vault, logger: .quiet)
            var sessions: [Role: String] = [:], tokens: [Role: NewAPIToken] = [:], staff: [Role: StaffMember] = [:]
            if seeded {
                let token = try #require(try await desk.beginSetup())
                let owner = try await desk.completeSetup(token: token, name: "Owner", email: "owner@example.com",
                                                         password: strongPassword, ip: nil)
                for role in Role.allCases {
                    let member = role == .admin ? owner.staff : try await desk.createStaff(
                        name: "\(role.rawValue) person", email: "\(role.rawValue)@example.com", role: role.rawValue,
                        password: strongPassword, by: .commandLine)
                    staff[role] = member
                    sessions[role] = try await desk.login(email: member.email, password: strongPassword, ip: nil).id
                    tokens[role] = try await desk.createToken(name: "\(role.rawValue) token", role: role.rawValue, by: .commandLine)
                }
            }
            let server = WebServer(desk: desk, configuration: configuration, metrics: testMetrics, dashboard: try DashboardFiles(), logger: logger)
            return try await body(TestDesk(desk: desk, server: server, clock: clock, sessions: sessions, tokens: tokens, staff: staff))
        }
    }

    /// Headers that make `caller` who they are (browser callers also send the CSRF header).
    func headers(for caller: Caller, csrf: Bool = true) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        switch caller {
        case .guest: if csrf { headers[.atendeCSRF] = "1" }
        case .session(let role):
            headers[.cookie] = "atende_sid=\(sessions[role]!)"
            if csrf { headers[.atendeCSRF] = "1" }
        case .token(let role): headers[.authorization] = "Bearer \(tokens[role]!.secret)"
        }
        return headers
    }
}

extension HTTPField.Name {
    static let atendeCSRF = HTTPField.Name("X-Atende-CSRF")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}

/// The decoded `{"error":{…}}` of a response, or nil when the body is not that shape.
struct ErrorBody: Decodable {
    struct Detail: Decodable { let code: String; let message: String; let field: String?; let request_id: String }
    let error: Detail
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var error: ErrorBody.Detail? { try? JSONDecoder().decode(ErrorBody.self, from: Data(text.utf8)).error }
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

func body(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

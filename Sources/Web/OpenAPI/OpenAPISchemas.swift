/// The component schemas of the OpenAPI document: every body the API takes or returns.
enum OpenAPISchemas {
    typealias JSON = [String: Any]

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    nonisolated(unsafe) static let string: JSON = ["type": "string"]
    nonisolated(unsafe) static let nullableString: JSON = ["type": ["string", "null"]]
    nonisolated(unsafe) static let dateTime: JSON = ["type": "string", "format": "date-time"]
    nonisolated(unsafe) static let role: JSON = ["type": "string", "enum": ["admin", "manager", "operator", "agent"]]
    nonisolated(unsafe) static let level: JSON = ["type": "string", "enum": ["full", "view", "assigned", "none"]]

    static func object(_ properties: JSON, required: [String]? = nil, additional: Bool = false) -> JSON {
        var schema: JSON = ["type": "object", "properties": properties, "required": required ?? Array(properties.keys).sorted()]
        if !additional { schema["additionalProperties"] = false }
        return schema
    }

    static func list(of item: String) -> JSON {
        object(["items": ["type": "array", "items": ref(item)], "next_cursor": nullableString])
    }

    nonisolated(unsafe) static let all: JSON = [
        "Error": object([
            "error": object([
                "code": ["type": "string", "pattern": "^[a-z_]+$"],
                "message": string,
                "field": nullableString,
                "request_id": string,
            ]),
        ]),
        "Staff": object([
            "id": string, "name": string, "email": string, "role": role,
            "disabled": ["type": "boolean"], "created_at": dateTime,
        ]),
        "Permissions": object([
            "dashboard": level, "chats": level, "assistant": level, "campaigns": level, "settings": level,
        ]),
        "Session": object(["staff": ref("Staff"), "permissions": ref("Permissions")]),
        "StaffEnvelope": object(["staff": ref("Staff")]),
        "ApiToken": object([
            "id": string, "name": string, "role": role, "created_at": dateTime,
            "last_used_at": ["type": ["string", "null"], "format": "date-time"],
            "prefix": ["type": "string", "pattern": "^atd_"],
        ]),
        "NewApiToken": object(["token": ref("ApiToken"), "secret": ["type": "string", "pattern": "^atd_"]]),
        "AuditActor": object(["id": string, "name": string]),
        "AuditEntry": object([
            "id": string, "at": dateTime,
            "actor": ["oneOf": [ref("AuditActor"), ["type": "null"]]],
            "action": string, "object": string, "ip": nullableString,
        ]),
        "StaffList": list(of: "Staff"),
        "ApiTokenList": list(of: "ApiToken"),
        "AuditList": list(of: "AuditEntry"),
        "SetupStatus": object(["required": ["type": "boolean"]]),
        "HealthStatus": object(["status": ["type": "string", "enum": ["ok"]]]),
        "ReadyStatus": object(["status": ["type": "string", "enum": ["ready"]]]),
        "SetupRequest": object(["token": string, "name": string, "email": string, "password": string], additional: true),
        "LoginRequest": object(["email": string, "password": string], additional: true),
        "PasswordChangeRequest": object(["current_password": string, "new_password": string], additional: true),
        "PasswordConfirmRequest": object(["password": string], additional: true),
        "StaffCreateRequest": object(["name": string, "email": string, "role": string, "password": string], additional: true),
        "StaffUpdateRequest": object(["name": string, "role": string, "disabled": ["type": "boolean"]], required: [], additional: true),
        "PasswordResetRequest": object(["password": string], additional: true),
        "TokenCreateRequest": object(["name": string, "role": string], additional: true),
    ]
}

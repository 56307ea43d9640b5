import Foundation

/// The Template object: what the API answers and the `template.updated` live event carries.
public struct TemplateView: Encodable, Sendable {
    let id: String, channel_id: String, name: String, language: String, category: String, status: String
    let status_reason: String?, body: String, parameters: Int, components: JSONValue, updated_at: String

    public init(_ template: MessageTemplate) {
        (id, channel_id, name, language) = (template.id.description, template.channelID.description, template.name, template.language)
        (category, status, status_reason) = (template.category, template.status, template.statusReason)
        (body, parameters) = (template.body, template.parameterCount)
        components = JSONValue(text: template.components) ?? .array([])
        updated_at = template.updatedAt.formatted(.iso8601)
    }

    enum CodingKeys: String, CodingKey {
        case id, channel_id, name, language, category, status, status_reason, body, parameters, components, updated_at
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(channel_id, forKey: .channel_id); try c.encode(name, forKey: .name)
        try c.encode(language, forKey: .language); try c.encode(category, forKey: .category); try c.encode(status, forKey: .status)
        try c.encode(status_reason, forKey: .status_reason); try c.encode(body, forKey: .body)
        try c.encode(parameters, forKey: .parameters); try c.encode(components, forKey: .components)
        try c.encode(updated_at, forKey: .updated_at)
    }
}

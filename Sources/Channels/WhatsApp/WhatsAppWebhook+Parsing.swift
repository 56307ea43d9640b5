import Foundation

extension WhatsAppWebhook {
    /// Parses the raw body of a webhook POST (verify its signature first, over these same bytes).
    /// - Throws: `ChannelError.malformedPayload` when the body is not JSON, or not a
    ///   `whatsapp_business_account` notification. Anything inside it that is not as documented
    ///   is kept as unsupported instead of refused (a refused delivery is retried for 7 days).
    public init(parsing body: some Collection<UInt8>) throws(ChannelError) {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw ChannelError(.malformedPayload, "the webhook body is not a JSON object")
        }
        guard root["object"] as? String == "whatsapp_business_account" else {
            throw ChannelError(.malformedPayload, "the webhook is not about a WhatsApp Business Account (object is \(String(describing: root["object"] ?? "missing").prefix(60)))")
        }
        var changes: [Change] = []
        for entry in JSON.objects(root["entry"]) {
            let account = JSON.string(entry["id"]) ?? ""
            for change in JSON.objects(entry["changes"]) {
                changes.append(Change(businessAccountID: account, field: JSON.string(change["field"]) ?? "",
                                      value: change["value"] as? [String: Any] ?? [:]))
            }
        }
        self.changes = changes
    }
}

extension WhatsAppWebhook.Change {
    init(businessAccountID: String, field: String, value: [String: Any]) {
        self.businessAccountID = businessAccountID
        self.field = field
        let metadata = value["metadata"] as? [String: Any]
        phoneNumberID = JSON.string(metadata?["phone_number_id"])
        displayPhoneNumber = JSON.string(metadata?["display_phone_number"])
        var names: [String: String] = [:]
        for contact in JSON.objects(value["contacts"]) {
            if let id = JSON.string(contact["wa_id"]), let name = JSON.string((contact["profile"] as? [String: Any])?["name"]) {
                names[id] = name
            }
        }
        profileNames = names
        messages = JSON.objects(value["messages"]).map(WhatsAppInboundMessage.init(item:))
        statuses = JSON.objects(value["statuses"]).compactMap(WhatsAppStatusUpdate.init(item:))
        errors = JSON.errors(value["errors"])
        rawValue = field == "messages" ? "" : JSON.text(value)
    }
}

extension WhatsAppInboundMessage {
    init(item: [String: Any]) {
        id = JSON.string(item["id"]) ?? ""
        from = JSON.string(item["from"]) ?? ""
        timestamp = JSON.date(item["timestamp"])
        type = JSON.string(item["type"]) ?? "unknown"
        replyTo = (item["context"] as? [String: Any]).map { context in
            ReplyContext(messageID: JSON.string(context["id"]), from: JSON.string(context["from"]),
                         isForwarded: JSON.bool(context["forwarded"]), isFrequentlyForwarded: JSON.bool(context["frequently_forwarded"]))
        }
        let unsupported = Content.unsupported(errors: JSON.errors(item["errors"]))
        let body = item[type] as? [String: Any]
        switch type {
        case "text":
            content = JSON.string(body?["body"]).map(Content.text) ?? unsupported
        case "image", "video", "audio", "document", "sticker":
            guard let body, let mediaID = JSON.string(body["id"]) else { content = unsupported; break }
            content = .media(Media(kind: type, mediaID: mediaID, mimeType: JSON.string(body["mime_type"]),
                                   sha256: JSON.string(body["sha256"]), caption: JSON.string(body["caption"]),
                                   filename: JSON.string(body["filename"]), url: JSON.string(body["url"]),
                                   isVoiceOrAnimated: JSON.bool(body["voice"]) || JSON.bool(body["animated"])))
        case "location":
            guard let body, let latitude = JSON.double(body["latitude"]), let longitude = JSON.double(body["longitude"]) else {
                content = unsupported; break
            }
            content = .location(Location(latitude: latitude, longitude: longitude, name: JSON.string(body["name"]),
                                         address: JSON.string(body["address"]), url: JSON.string(body["url"])))
        case "contacts":
            let shared = JSON.objects(item["contacts"]).map { card in
                SharedContact(formattedName: JSON.string((card["name"] as? [String: Any])?["formatted_name"]),
                              phones: JSON.objects(card["phones"]).compactMap { JSON.string($0["phone"]) },
                              emails: JSON.objects(card["emails"]).compactMap { JSON.string($0["email"]) })
            }
            content = shared.isEmpty ? unsupported : .contacts(shared)
        case "interactive":
            guard let body, let kind = JSON.string(body["type"]) else { content = unsupported; break }
            let reply = body[kind] as? [String: Any]
            content = .interactiveReply(kind: kind, id: JSON.string(reply?["id"]), title: JSON.string(reply?["title"]),
                                        description: JSON.string(reply?["description"]))
        case "button":
            guard let body else { content = unsupported; break }
            content = .button(payload: JSON.string(body["payload"]), text: JSON.string(body["text"]))
        case "reaction":
            guard let body, let target = JSON.string(body["message_id"]) else { content = unsupported; break }
            let emoji = JSON.string(body["emoji"])
            content = .reaction(messageID: target, emoji: emoji?.isEmpty == false ? emoji : nil)
        case "order":
            guard let body else { content = unsupported; break }
            let items = JSON.objects(body["product_items"]).compactMap { product -> Order.Item? in
                guard let retailerID = JSON.string(product["product_retailer_id"]) else { return nil }
                return Order.Item(productRetailerID: retailerID, quantity: JSON.int(product["quantity"]) ?? 1,
                                  itemPrice: JSON.double(product["item_price"]), currency: JSON.string(product["currency"]))
            }
            content = .order(Order(catalogID: JSON.string(body["catalog_id"]), text: JSON.string(body["text"]), items: items))
        case "system":
            guard let body else { content = unsupported; break }
            content = .system(kind: JSON.string(body["type"]), body: JSON.string(body["body"]),
                              newWhatsAppID: JSON.string(body["wa_id"]) ?? JSON.string(body["new_wa_id"]))
        default:
            content = unsupported
        }
        // Serialising the item again costs more than the rest of parsing it: only where the
        // content does not carry everything the item says.
        raw = content.isFullyModelled ? nil : JSON.text(item)
    }
}

extension WhatsAppStatusUpdate {
    init?(item: [String: Any]) {
        guard let id = JSON.string(item["id"]), let status = JSON.string(item["status"]) else { return nil }
        messageID = id
        self.status = status
        timestamp = JSON.date(item["timestamp"])
        recipientID = JSON.string(item["recipient_id"])
        errors = JSON.errors(item["errors"])
        pricingCategory = JSON.string((item["pricing"] as? [String: Any])?["category"])
    }
}

/// Reading JSONSerialization's untyped values without trusting their types.
enum JSON {
    static func objects(_ value: Any?) -> [[String: Any]] { (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }

    /// A JSON string (not a number written as one: a field documented as text that is not text
    /// makes its message unsupported rather than guessed at).
    static func string(_ value: Any?) -> String? { value as? String }

    static func double(_ value: Any?) -> Double? {
        switch value {
        case let number as NSNumber where !isBool(number): number.doubleValue
        case let text as String: Double(text)
        default: nil
        }
    }

    static func int(_ value: Any?) -> Int? { double(value).flatMap { $0.isFinite && $0 == $0.rounded() ? Int(exactly: $0) : nil } }

    static func bool(_ value: Any?) -> Bool {
        guard let number = value as? NSNumber, isBool(number) else { return false }
        return number.boolValue
    }

    /// Unix seconds, as a string (as Meta sends them) or a number; the epoch when absent.
    static func date(_ value: Any?) -> Date { Date(timeIntervalSince1970: double(value) ?? 0) }

    static func errors(_ value: Any?) -> [WhatsAppError] {
        objects(value).compactMap { item in
            guard let code = int(item["code"]) else { return nil }
            return WhatsAppError(code: code, title: string(item["title"]), message: string(item["message"]),
                                 details: string((item["error_data"] as? [String: Any])?["details"]))
        }
    }

    /// Compact JSON text of a parsed value, keys sorted.
    static func text(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func isBool(_ number: NSNumber) -> Bool {
        #if canImport(Darwin)
        return CFGetTypeID(number) == CFBooleanGetTypeID()
        #else
        return String(cString: number.objCType) == "c" && (number == NSNumber(value: true) || number == NSNumber(value: false))
        #endif
    }
}

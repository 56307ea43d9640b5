import Foundation

/// Every sentence the assistant writes itself, per language and tone. Knowledge-base facts never
/// come from here: these only greet, thank, ask, and say that a person will reply and when.
enum Templates {
    static func pick(_ language: Language, _ tone: Tone, pt: (String, String), es: (String, String), en: (String, String)) -> String {
        let pair = language == .pt ? pt : language == .es ? es : en
        return tone == .friendly ? pair.0 : pair.1
    }

    static func greeting(business: String, _ language: Language, _ tone: Tone) -> String {
        pick(language, tone,
             pt: ("Oi! Aqui é \(business) 😊 Como posso ajudar?", "Olá! Você está falando com \(business). Em que podemos ajudar?"),
             es: ("¡Hola! Aquí \(business) 😊 ¿En qué te puedo ayudar?", "¡Hola! Le atiende \(business). ¿En qué podemos ayudarle?"),
             en: ("Hi! This is \(business) 😊 How can I help?", "Hello, this is \(business). How may we help you?"))
    }

    static func thanks(_ language: Language, _ tone: Tone) -> String {
        pick(language, tone,
             pt: ("Por nada! Se precisar de algo, é só chamar 😊", "Nós que agradecemos. Estamos à disposição."),
             es: ("¡De nada! Si necesitas algo, aquí estamos 😊", "Con gusto. Quedamos a su disposición."),
             en: ("You're welcome! Just message us if you need anything else 😊", "You are welcome. We remain at your disposal."))
    }

    /// Put before an answer when the customer greeted in the same turn.
    static func greetingPrefix(_ language: Language, _ tone: Tone) -> String {
        pick(language, tone, pt: ("Oi! ", "Olá! "), es: ("¡Hola! ", "¡Hola! "), en: ("Hi! ", "Hello! "))
    }

    static func documentAnswer(_ body: String, topic: String?, language: Language, tone: Tone) -> String {
        guard let topic else { return body }
        return pick(language, tone,
                    pt: ("Sobre \(topic): \(body)", "Com relação a \(topic): \(body)"),
                    es: ("Sobre \(topic): \(body)", "En relación con \(topic): \(body)"),
                    en: ("About \(topic): \(body)", "Regarding \(topic): \(body)"))
    }

    static func clarify(_ first: String, _ second: String, _ language: Language, _ tone: Tone) -> String {
        pick(language, tone,
             pt: ("Só para eu entender: você quer saber sobre “\(first)” ou sobre “\(second)”?",
                  "Para confirmar: o(a) senhor(a) deseja saber sobre “\(first)” ou sobre “\(second)”?"),
             es: ("Para entenderte bien: ¿quieres saber sobre “\(first)” o sobre “\(second)”?",
                  "Para confirmar: ¿desea saber sobre “\(first)” o sobre “\(second)”?"),
             en: ("Just to be sure: do you mean “\(first)” or “\(second)”?",
                  "To make sure we help you correctly: do you mean “\(first)” or “\(second)”?"))
    }

    /// The seeds' fallback: nothing to answer with, a person will.
    static func received(_ language: Language, _ tone: Tone) -> String {
        pick(language, tone,
             pt: ("Recebemos sua mensagem e um atendente vai responder em breve.",
                  "Recebemos sua mensagem e um de nossos atendentes responderá em breve."),
             es: ("Recibimos tu mensaje y un agente te responderá en breve.",
                  "Recibimos su mensaje y uno de nuestros agentes le responderá en breve."),
             en: ("We got your message and a member of our team will reply shortly.",
                  "We have received your message and a member of our team will reply shortly."))
    }

    static func handoffLead(_ reason: HandoffReason, _ language: Language, _ tone: Tone) -> String {
        switch reason {
        case .humanRequested:
            pick(language, tone,
                 pt: ("Claro! Vou chamar alguém da equipe para falar com você.", "Certamente. Um de nossos atendentes dará continuidade ao seu atendimento."),
                 es: ("¡Claro! Voy a llamar a alguien del equipo para que te atienda.", "Por supuesto. Uno de nuestros agentes continuará con su atención."),
                 en: ("Sure! I'll get someone from the team to talk to you.", "Certainly. A member of our team will continue this conversation."))
        case .complaint:
            pick(language, tone,
                 pt: ("Sentimos muito pelo transtorno. Uma pessoa da equipe vai cuidar do seu caso.", "Lamentamos o ocorrido. Um responsável vai analisar o seu caso."),
                 es: ("Lamentamos mucho lo ocurrido. Una persona del equipo se ocupará de tu caso.", "Lamentamos lo ocurrido. Un responsable revisará su caso."),
                 en: ("We're sorry about this. Someone from our team will look into it.", "We apologise for this. A member of our team will look into your case."))
        case .lowConfidence, .repeatedLowConfidence, .noAnswer:
            received(language, tone)
        }
    }

    static func hours(_ summary: String, _ language: Language) -> String {
        switch language {
        case .pt: "Nosso horário: \(summary)."
        case .es: "Nuestro horario: \(summary)."
        case .en: "Our hours: \(summary)."
        }
    }

    /// "Agora estamos fechados; voltamos amanhã às 9h." — `opening` in the business time zone.
    static func closed(until opening: Date, now: Date, timeZone: TimeZone, _ language: Language) -> String {
        let calendar = BusinessHours.calendar(timeZone)
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: now), to: calendar.startOfDay(for: opening)).day ?? 0
        let parts = calendar.dateComponents([.hour, .minute, .weekday, .day, .month], from: opening)
        let time = BusinessHours.time((parts.hour ?? 0) * 60 + (parts.minute ?? 0), language)
        let weekday = (parts.weekday ?? 1) - 1
        let date = String(format: "%02d/%02d", parts.day ?? 1, parts.month ?? 1)
        switch language {
        case .pt:
            let names = ["no domingo", "na segunda", "na terça", "na quarta", "na quinta", "na sexta", "no sábado"]
            let day = days == 0 ? "hoje" : days == 1 ? "amanhã" : days < 7 ? names[weekday] : "em \(date)"
            return "Agora estamos fechados; voltamos \(day) às \(time)."
        case .es:
            let names = ["el domingo", "el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado"]
            let day = days == 0 ? "hoy" : days == 1 ? "mañana" : days < 7 ? names[weekday] : "el \(date)"
            return "Ahora estamos cerrados; volvemos \(day) a las \(time)."
        case .en:
            let names = ["on Sunday", "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday"]
            let english = String(format: "%02d/%02d", parts.month ?? 1, parts.day ?? 1)
            let day = days == 0 ? "today" : days == 1 ? "tomorrow" : days < 7 ? names[weekday] : "on \(english)"
            return "We're closed right now; we're back \(day) at \(time)."
        }
    }

    /// The inbox summary's label for an intent, in the staff's language.
    static func label(_ intent: BusinessIntent, _ language: Language) -> String {
        let labels: [BusinessIntent: (String, String, String)] = [
            .greeting: ("Saudação", "Saludo", "Greeting"),
            .pricing: ("Pergunta sobre preço", "Consulta de precio", "Price question"),
            .hours: ("Pergunta sobre horário", "Consulta de horario", "Hours question"),
            .location: ("Pergunta sobre endereço", "Consulta de dirección", "Location question"),
            .booking: ("Pedido de agendamento", "Solicitud de cita", "Booking request"),
            .rescheduleCancel: ("Remarcação ou cancelamento", "Cambio o cancelación", "Reschedule or cancel"),
            .payment: ("Pergunta sobre pagamento", "Consulta de pago", "Payment question"),
            .orderStatus: ("Status do pedido", "Estado del pedido", "Order status"),
            .complaint: ("Reclamação", "Queja", "Complaint"),
            .humanRequest: ("Pede um atendente", "Pide un agente", "Asks for a person"),
            .thanksBye: ("Agradecimento ou despedida", "Agradecimiento o despedida", "Thanks or goodbye"),
            .other: ("Mensagem", "Mensaje", "Message"),
        ]
        let l = labels[intent] ?? ("Mensagem", "Mensaje", "Message")
        return language == .pt ? l.0 : language == .es ? l.1 : l.2
    }
}

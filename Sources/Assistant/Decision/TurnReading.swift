/// The high-precision rules read before anything is retrieved (ai-pipeline.md §4.1 item 3): which
/// messages of a turn are only an acknowledgement, a greeting or thanks, what is left to answer,
/// and whether the customer asks for a person or complains.
///
/// Phrases are matched on whole tokens, accent-folded, after the chat abbreviations of the
/// turn's language are expanded ("blz" → "beleza", "obg" → "obrigado").
struct TurnReading: Sendable {
    /// The question left once greetings, thanks and acknowledgements are taken off every message,
    /// in the customer's words (lower case); empty when there is nothing to answer.
    let question: String
    let hasGreeting: Bool
    let hasThanks: Bool
    /// Whether any message asks for a person.
    let asksForPerson: Bool
    /// Whether any message carries an obvious complaint marker ("procon", "péssimo", "absurdo").
    let hasComplaintMarker: Bool

    init(_ texts: [String], language: Language) {
        let normaliser = Normaliser(emoji: .drop)
        var questions: [String] = []
        var greeting = false, thanks = false, person = false, complaint = false
        for text in texts {
            let tokens = normaliser.tokens(text, language: language).filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }
            let folded = tokens.map(Normaliser.fold)
            let joined = " " + folded.joined(separator: " ") + " "
            person = person || Self.personPhrases.contains { joined.contains(" \($0) ") }
            complaint = complaint || Self.complaintMarkers.contains { joined.contains(" \($0)") }
            var start = 0, end = folded.count
            // Peel small-talk phrases off both ends: "oi, tudo bem? quanto custa? obrigado".
            var peeled = true
            while peeled, start < end {
                peeled = false
                for (phrases, kind) in Self.smallTalk {
                    if let n = Self.match(phrases, folded[start..<end], atStart: true) {
                        start += n; peeled = true
                        if kind == .greeting { greeting = true } else if kind == .thanks { thanks = true }
                    } else if kind != .acknowledgement, let n = Self.match(phrases, folded[start..<end], atStart: false) {
                        end -= n; peeled = true
                        if kind == .greeting { greeting = true } else if kind == .thanks { thanks = true }
                    }
                }
            }
            if start < end { questions.append(tokens[start..<end].joined(separator: " ")) }
        }
        question = questions.joined(separator: " ")
        (hasGreeting, hasThanks, asksForPerson, hasComplaintMarker) = (greeting, thanks, person, complaint)
    }

    enum SmallTalk { case greeting, thanks, acknowledgement }

    /// The length of the longest phrase of `phrases` at the start (or end) of `tokens`.
    private static func match(_ phrases: [[String]], _ tokens: ArraySlice<String>, atStart: Bool) -> Int? {
        phrases.filter { $0.count <= tokens.count && (atStart ? tokens.prefix($0.count).elementsEqual($0) : tokens.suffix($0.count).elementsEqual($0)) }
            .map(\.count).max()
    }

    private static func phrases(_ text: String) -> [[String]] {
        text.split(separator: "|").map { $0.split(separator: " ").map(String.init) }
    }

    static let smallTalk: [([[String]], SmallTalk)] = [
        (phrases("""
            oi|oie|oii|ola|alo|opa|eai|e ai|bom dia|boa tarde|boa noite|tudo bem|tudo bom|tudo certo|tudo joia|\
            como vai|como voce esta|como vao|hola|buenas|buenos dias|buen dia|buenas tardes|buenas noches|que tal|\
            como estas|como esta|saludos|hi|hello|hey|hiya|good morning|good afternoon|good evening|how are you|\
            how are you doing|greetings|e voce|y tu|and you
            """), .greeting),
        (phrases("""
            obrigado|obrigada|muito obrigado|muito obrigada|obrigadao|valeu|agradeco|grato|grata|tchau|ate mais|\
            ate logo|ate amanha|abraco|abracos|gracias|muchas gracias|mil gracias|adios|hasta luego|hasta pronto|\
            chao|thanks|thank you|thank you so much|thanks a lot|thx|ty|bye|goodbye|see you|cheers|\
            por tudo|pela ajuda|por la ayuda|for the help|for your help
            """), .thanks),
        (phrases("""
            ok|okay|oks|okk|blz|beleza|certo|certinho|entendi|show|perfeito|combinado|ta bom|esta bom|ta|esta|sim|\
            claro|joia|otimo|legal|massa|de acordo|vale|perfecto|entendido|genial|bueno|listo|claro que si|\
            si|got it|sure|cool|great|fine|alright|all right|yes|yep|noted|kk|kkk|haha|rs|rsrs
            """), .acknowledgement),
    ]

    /// Whole-token phrases asking for a person (folded).
    static let personPhrases: [String] = [
        "atendente", "atendimento humano", "falar com alguem", "falar com uma pessoa", "falar com um humano",
        "falar com humano", "pessoa de verdade", "ser humano", "falar com o dono", "falar com a dona",
        "falar com o responsavel", "falar com o gerente", "um humano", "uma pessoa real",
        "agente humano", "hablar con alguien", "hablar con una persona", "hablar con un agente", "hablar con un humano",
        "persona real", "un asesor", "una asesora", "un humano", "hablar con el encargado",
        "a human", "real human", "real person", "talk to someone", "speak to someone", "talk to a person",
        "speak to a person", "talk to an agent", "speak to an agent", "a representative", "talk to the manager",
        "speak to the manager", "live agent", "customer service agent",
    ]

    /// Word starts that mark a complaint (folded); they count only with strongly negative sentiment.
    static let complaintMarkers: [String] = [
        "procon", "reclame aqui", "reclamacao", "reclamar", "pessim", "horrivel", "absurd", "vergonha", "descaso",
        "palhacada", "nunca mais", "enganad", "queja", "reclamo", "terrible", "pesim", "estafa", "verguenza",
        "complaint", "awful", "ridiculous", "scam", "disgrace", "worst", "refund", "reembolso", "estorno",
    ]
}

import Foundation

extension Assistant {
    /// The "AI insights" of one inbound message: language (detected, else the conversation's,
    /// else the business's), intent and its confidence, sentiment, priority, a one-line summary
    /// and the entities, dates resolved in the business time zone against `now`.
    public func understand(_ text: String, conversationLanguage: Language?, now: Date) -> Insights {
        let language = detector.detect(text, current: conversationLanguage, fallback: profile.language).language
        return understanding(text, language: language, now: now).insights
    }

    func understanding(_ text: String, language: Language, now: Date) -> (insights: Insights, prediction: IntentClassifier.Prediction) {
        let prediction = classifier.classify(text, current: language)
        let insights = Insights(
            language: language, intent: prediction.intent, intentConfidence: prediction.confidence,
            sentiment: prediction.sentiment.score, polarity: prediction.sentiment.polarity.rawValue,
            priority: prediction.priority.rawValue,
            summary: Self.summary(text, intent: prediction.intent, language: language, staffLanguage: profile.language),
            entities: entities(text, language: language, now: now))
        return (insights, prediction)
    }

    /// "Pergunta sobre preço: limpeza de pele": the intent's label in the staff's language, and
    /// the message's key words (from the first to the last word that is not a stop word, a question
    /// word, small talk or a cue of the intent), at most six words.
    static func summary(_ text: String, intent: BusinessIntent, language: Language, staffLanguage: Language) -> String {
        let label = Templates.label(intent, staffLanguage)
        let tokens = Normaliser.split(Normaliser().clean(text), keepEmoji: false).filter { $0.contains(where: \.isLetter) }
        let key = tokens.indices.filter { i in
            let folded = Normaliser.fold(tokens[i])
            return folded.count > 1 && !StopWords.contains(folded, language: language)
                && !StopWords.isQuestionWord(folded, language: language) && !summaryNoise.contains(folded)
        }
        guard let first = key.first, let last = key.last else { return label }
        let words = last - first < 6 ? Array(tokens[first...last]) : key.prefix(4).map { tokens[$0] }
        return label + ": " + words.joined(separator: " ")
    }

    /// Words that say what kind of message it is rather than what it is about (folded).
    static let summaryNoise: Set<String> = Set("""
        oi ola bom boa dia tarde noite tudo bem obrigado obrigada valeu por favor hola buenos buenas dias gracias \
        hi hello hey thanks thank please good morning afternoon evening \
        custa custam custo preco precos valor valores cobram cobra cuesta cuestan precio precios cost costs price prices much \
        horario horarios abre abrem fecha fecham funciona funcionam abren cierran open opens close closes hours \
        endereco fica ficam localizacao direccion queda address located \
        quero queria gostaria saber pode podem poderia tem voces voce preciso informacao \
        quiero quisiera puedo pueden tienen necesito informacion want like know can could need tell
        """.split(separator: " ").map(String.init))

    func entities(_ text: String, language: Language, now: Date) -> [InsightEntity] {
        let extractor = EntityExtractor(language: language, timeZone: profile.timeZone, businessHours: openHours)
        let iso = ISO8601DateFormatter()
        iso.timeZone = profile.timeZone
        iso.formatOptions = [.withInternetDateTime]
        var found: [(String.Index, InsightEntity)] = []
        for match in extractor.dates(in: text, reference: now) {
            let value: String
            switch match.value {
            case .instant(let date, _): value = iso.string(from: date)
            case .interval(let from, let to, _): value = iso.string(from: from) + "/" + iso.string(from: to)
            }
            found.append((match.range.lowerBound, InsightEntity(kind: "date", text: match.text, value: value)))
        }
        for match in extractor.money(in: text) {
            let value = (match.value.currency.map { $0 + " " } ?? "") + "\(match.value.amount)"
            found.append((match.range.lowerBound, InsightEntity(kind: "money", text: match.text, value: value)))
        }
        for match in extractor.phones(in: text) {
            found.append((match.range.lowerBound, InsightEntity(kind: "phone", text: match.text, value: match.value)))
        }
        for match in extractor.emails(in: text) {
            found.append((match.range.lowerBound, InsightEntity(kind: "email", text: match.text, value: match.value.lowercased())))
        }
        for match in extractor.names(in: text) {
            found.append((match.range.lowerBound, InsightEntity(kind: "name", text: match.text, value: match.value)))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The business's hours of the day, earliest opening to latest closing, to read "às 2" as 14h.
    var openHours: Range<Int>? {
        let intervals = profile.hours.days.flatMap(\.intervals)
        guard let start = intervals.map(\.start).min(), let end = intervals.map(\.end).max(), start < end else { return nil }
        return (start / 60)..<((end + 59) / 60)
    }
}

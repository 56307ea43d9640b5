import Assistant
import Foundation

/// How the booking dialogue reads a customer's answer: which service they named, which of the
/// offered times they chose ("2", "a das 14h", "pode ser a primeira"), yes or no, move or cancel,
/// and when they want to come. Pure: text in, meaning out.
struct BookingReading {
    let text: String
    /// Lower case, without accents, single spaces: what the word lists are matched against.
    let folded: String
    let words: [String]

    init(_ text: String) {
        self.text = text
        folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        words = folded.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    private func has(_ any: [String]) -> Bool { any.contains { words.contains($0) } }
    private func hasPrefix(_ any: [String]) -> Bool { words.contains { word in any.contains { word.hasPrefix($0) } } }

    // MARK: Services

    /// The services the text names (by name or another name), longest name first.
    func services(_ services: [BookableService]) -> [BookableService] {
        let padded = " " + words.joined(separator: " ") + " "
        func names(_ service: BookableService) -> [String] {
            ([service.name] + service.aliases).map { BookingReading($0).words.joined(separator: " ") }.filter { !$0.isEmpty }
        }
        // A name matches whole words ("limpeza" in "quero uma limpeza amanhã"); its last word may
        // be a plural ("limpezas", "cortes").
        func matches(_ name: String) -> Bool {
            padded.contains(" \(name) ") || padded.contains(" \(name)s ") || padded.contains(" \(name)es ")
        }
        let found = services.filter { names($0).contains(where: matches) }
        // "Limpeza" and "Limpeza com clareamento": the one whose name says more wins.
        let best = found.map { service in (service, names(service).filter(matches).map(\.count).max() ?? 0) }
        guard let top = best.map(\.1).max() else { return [] }
        let longest = best.filter { $0.1 == top }.map(\.0)
        return longest.count == 1 ? longest : found
    }

    /// A number picking from a list of `count` ("2", "a segunda", "opção 3"), 0-based.
    func ordinal(of count: Int) -> Int? {
        let ordinals: [[String]] = [["1", "primeira", "primeiro", "um", "uma", "primera", "first", "one"],
                                    ["2", "segunda", "segundo", "dois", "duas", "second", "two", "dos"],
                                    ["3", "terceira", "terceiro", "tres", "tercera", "tercero", "third", "three"]]
        // A lone number is a choice; inside a longer text, only ordinal words are ("a segunda").
        if words.count == 1, let number = Int(words[0]), (1...count).contains(number) { return number - 1 }
        for (index, names) in ordinals.enumerated() where index < count {
            let strong = names.filter { Int($0) == nil && !["um", "uma", "one", "dos", "two", "three", "tres", "dois", "duas"].contains($0) }
            if has(strong) { return index }
            if has(["opcao", "opcion", "option", "numero", "number", "n"]), has(names) { return index }
        }
        if words.count <= 3, let number = words.compactMap(Int.init).first, (1...count).contains(number) { return number - 1 }
        return nil
    }

    // MARK: Yes, no, move, cancel, confirm

    var isYes: Bool { has(["sim", "si", "yes", "pode", "isso", "confirmo", "confirmar", "confirma", "claro", "ok", "quero", "bora", "certo", "sure"]) && !isNo }
    /// "no" alone is Spanish or English; inside a sentence it is Portuguese for "in the" ("no sábado").
    var isNo: Bool { has(["nao", "nope", "nenhum", "nenhuma", "ninguno", "ninguna", "none"]) || (words.count <= 2 && words.contains("no")) }
    var wantsCancel: Bool { hasPrefix(["cancel", "desmarc", "anul"]) }
    var wantsMove: Bool { hasPrefix(["remarc", "reagend", "mudar", "muda", "trocar", "troca", "cambi", "reschedul", "adiar", "antecip", "mover"]) }
    /// "quero marcar", "agendar", "reservar", "book", "una cita": asking for an appointment,
    /// whatever the intent classifier made of the rest.
    var wantsBooking: Bool {
        !wantsMove && !wantsCancel && (hasPrefix(["marca", "marcar", "agend", "reserv", "book", "schedul", "apunt"]) || has(["cita", "appointment", "horario", "vaga"]))
    }
    var wantsConfirm: Bool { hasPrefix(["confirm"]) || isYes }
    /// "outro dia", "nenhum desses", "other times".
    var wantsOther: Bool { isNo || has(["outro", "outra", "otro", "otra", "other", "another"]) }

    // MARK: When

    /// The first date or time the text gives, in the business zone.
    func when(language: Language, zone: TimeZone, now: Date) -> DateTimeValue? {
        EntityExtractor(language: language, timeZone: zone, businessHours: 7..<21).dates(in: text, reference: now).first?.value
    }

    /// The offered slot the text names by its time ("a das 14h", "14:30", or the list row's own title).
    func offered(_ offered: [BookingDialogue.OfferedSlot], when value: DateTimeValue?, zone: TimeZone) -> Int? {
        guard let value, value.grain <= .hour else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let wanted = calendar.dateComponents([.hour, .minute], from: value.start)
        let sameTime = offered.indices.filter {
            let parts = calendar.dateComponents([.hour, .minute], from: offered[$0].start)
            return parts.hour == wanted.hour && (value.grain == .hour || parts.minute == wanted.minute)
        }
        // "a das 14h" when two days are offered at 14:00: the one on the day said, if a day was said.
        if sameTime.count > 1, let exact = sameTime.first(where: { offered[$0].start == value.start }) { return exact }
        return sameTime.first
    }
}

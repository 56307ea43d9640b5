extension EntityExtractor {
    /// The customer's name after a cue: "meu nome é Ana", "sou a Ana Paula", "me llamo Juan",
    /// "my name is Mary Jane". After a cue that can only introduce a name ("meu nome é",
    /// "me chamo", "me llamo", "my name is") the first word is taken even in lower case, as chat
    /// is typed; after one that also introduces other things ("sou", "soy", "I'm") the name must
    /// be capitalised, so "sou a favor" and "I'm fine" are not names. Returned capitalised.
    public func names(in text: String) -> [EntityMatch<String>] {
        let tokens = EntityText.tokens(text)
        var found: [EntityMatch<String>] = []
        var i = 0
        while i < tokens.count {
            guard let (cueEnd, strong) = cue(tokens, at: i) else { i += 1; continue }
            var words: [Int] = []
            var k = cueEnd
            while k < tokens.count, tokens[k].kind == .word, words.count < 4 {
                let original = text[tokens[k].range]
                let capitalised = original.first?.isUppercase ?? false
                if words.isEmpty {
                    guard capitalised || (strong && !Self.notNames.contains(tokens[k].text)) else { break }
                    words.append(k)
                } else if capitalised, !Self.notNames.contains(tokens[k].text) {
                    words.append(k)
                } else if Self.particles.contains(tokens[k].text), k + 1 < tokens.count,
                          text[tokens[k + 1].range].first?.isUppercase ?? false {
                    words.append(k)
                } else {
                    break
                }
                k += 1
            }
            guard let first = words.first, let last = words.last else { i = cueEnd; continue }
            let range = tokens[first].range.lowerBound..<tokens[last].range.upperBound
            let name = words.map { index -> String in
                let word = String(text[tokens[index].range])
                return Self.particles.contains(tokens[index].text) ? word.lowercased() : word.prefix(1).uppercased() + word.dropFirst()
            }.joined(separator: " ")
            found.append(EntityMatch(range: range, text: String(text[range]), value: name))
            i = last + 1
        }
        return found
    }

    /// Where the name starts after a cue at `i`, and whether the cue can only introduce a name.
    private func cue(_ tokens: [EntityToken], at i: Int) -> (Int, Bool)? {
        for (phrase, strong) in Self.cues[language] ?? [] where i + phrase.count <= tokens.count {
            if phrase.indices.allSatisfy({ tokens[i + $0].text == phrase[$0] }) { return (i + phrase.count, strong) }
        }
        return nil
    }

    private static let cues: [Language: [([String], Bool)]] = {
        func list(_ strong: [String], _ weak: [String]) -> [([String], Bool)] {
            // Longest first, so "sou a" wins over "sou".
            (strong.map { ($0, true) } + weak.map { ($0, false) })
                .map { (EntityText.tokens($0.0).map(\.text), $0.1) }
                .sorted { $0.0.count > $1.0.count }
        }
        return [
            .pt: list(["meu nome e", "meu nome eh", "me chamo", "pode me chamar de", "me chamam de"],
                      ["sou o", "sou a", "sou", "aqui e o", "aqui e a", "aqui e", "quem fala e", "aqui quem fala e",
                       "fala o", "fala a", "eu sou o", "eu sou a"]),
            .es: list(["me llamo", "mi nombre es", "puedes llamarme", "llamame"],
                      ["soy el", "soy la", "soy", "habla", "le habla", "te habla", "aqui es"]),
            .en: list(["my name is", "my name's", "call me"], ["i am", "i'm", "im", "this is", "it's", "its"]),
        ]
    }()

    /// Lower-case words between names: "Ana da Silva", "Juan de la Cruz", "Anne van Dijk".
    private static let particles: Set<String> = ["da", "de", "do", "das", "dos", "del", "la", "van", "von", "di"]

    /// Words a cue is often followed by that are not names.
    private static let notNames: Set<String> = [
        "o", "a", "um", "uma", "eu", "e", "que", "de", "da", "do", "cliente", "paciente", "novo", "nova", "el", "la",
        "un", "una", "yo", "y", "the", "a", "an", "and", "not", "here", "from", "your", "customer", "new",
    ]
}

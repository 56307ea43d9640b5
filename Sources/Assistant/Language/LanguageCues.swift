/// Hand-set evidence for the language detector: words (accent-folded) and letter sequences that
/// mark one language. Weights are points: 3 is "almost certain alone", 1 a hint. A word two
/// languages share ("para", "sabado", "no") is listed under neither, or under both.
enum LanguageCues {
    static let words: [Language: [String: Double]] = [
        .pt: table([
            3: """
                voce voces vc vcs nao obrigado obrigada obg obgd oi ola tchau valeu hj tbm blz beleza amanha
                quero gostaria queria preciso agendar remarcar desmarcar abrem funcionam entao tambem tudo bem
                boa bom noite pessoal atendente
                """,
            2: """
                tem custa quanto quanta quantos qual quais onde fica aberto fechado hoje ainda agora muito muita
                isso aqui meu minha um uma do da dos das na nas pra pro ja ate com posso pode podem
                horario consulta dinheiro cartao ok vou vai estou ta to falar pessoa ver sim obrigadao depois
                semana marcar
                """,
            1.5: """
                ao aos pelo pela pelos pelas sao quem deve devera vezes mes meses isso esse essa num numa ou
                apos ha foi tem sera existe conter cursar janeiro fevereiro marco maio junho julho setembro
                outubro novembro dezembro
                """,
            1: """
                e o os no em que dia tarde por favor mes sabado domingo segunda terca quarta quinta sexta
                feira
                """,
        ]),
        .es: table([
            3: """
                hola gracias usted ustedes quiero quisiera necesito manana buenos buenas cuanto cuesta adios
                vale bueno tienen hay donde estan muy tambien pero yo gusto hablar cita reservar hoy ahora
                abren lunes martes miercoles jueves viernes
                """,
            2: """
                el los las del y con mi su puedo puede puedes precio dias noches nada eso lo le tengo tiene
                estoy hasta luego si ok claro persona agente semana
                """,
            1.5: """
                al y ya ayer anteayer antier ahorita muy eso ese esa esto es son fue tiene mas quien cual ni
                enero febrero marzo mayo junio julio septiembre octubre noviembre diciembre
                """,
            1: """
                la de que en no para por favor porque horario un una sabado
                """,
        ]),
        .en: table([
            3: """
                the you thanks thank hi hello hey please what when where how much cost tomorrow today want need
                would could appointment book booking open morning afternoon evening bye yes
                """,
            2: """
                i my is are do does can and of for it this that have with time hours price good speak talk
                someone human agent ok okay sure great
                """,
            1.5: """
                january february march april may june july august september october november december monday
                tuesday wednesday thursday friday saturday sunday was were will the last
                next night week weekend month year yr season seconds minutes ago tonight noon midnight
                """,
            1: """
                to in on at be no
                """,
        ]),
    ]

    /// Letter sequences inside a word (accents kept) that mark a language.
    static let fragments: [(String, Language, Double)] = [
        ("ã", .pt, 3), ("õ", .pt, 3), ("ç", .pt, 2.5), ("ção", .pt, 1), ("ções", .pt, 1), ("lh", .pt, 1),
        ("nh", .pt, 1), ("ê", .pt, 1), ("ô", .pt, 1),
        ("ñ", .es, 3), ("ción", .es, 2), ("ll", .es, 1), ("ue", .es, 0.5),
        ("th", .en, 1.5), ("w", .en, 1), ("ing", .en, 1), ("k", .en, 0.5),
    ]

    private static func table(_ tiers: [Double: String]) -> [String: Double] {
        var out: [String: Double] = [:]
        for (weight, words) in tiers {
            for word in words.split(whereSeparator: { $0 == " " || $0 == "\n" }) { out[String(word)] = weight }
        }
        return out
    }
}

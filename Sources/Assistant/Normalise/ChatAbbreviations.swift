/// The shorthand people type in chat, per language, and what it stands for. Keys are lower-case
/// tokens as `Normaliser.split` produces them; a value may be several words ("oq" → "o que").
/// Common words typed without their accent get it back ("amanha" → "amanhã"), so they stem
/// like the accented form.
enum ChatAbbreviations {
    static func table(for language: Language) -> [String: String] {
        switch language {
        case .pt: portuguese
        case .es: spanish
        case .en: english
        }
    }

    static let portuguese: [String: String] = [
        "vc": "você", "vcs": "vocês", "voce": "você", "voces": "vocês", "cê": "você", "ce": "você",
        "hj": "hoje", "hoj": "hoje", "amanha": "amanhã", "amnh": "amanhã", "pq": "porque", 
        "qto": "quanto", "qnto": "quanto", "qta": "quanta", "qtos": "quantos", "qtas": "quantas",
        "qdo": "quando", "qndo": "quando", "qd": "quando", "obg": "obrigado", "obgd": "obrigado",
        "obgda": "obrigada", "obrigadu": "obrigado", "brigado": "obrigado", "brigada": "obrigada",
        "blz": "beleza", "td": "tudo", "tds": "todos", "tb": "também", "tbm": "também", "tmb": "também",
        "msg": "mensagem", "msgs": "mensagens", "hr": "hora", "hrs": "horas", "q": "que", "oq": "o que",
        "sab": "sábado", "sabado": "sábado",
        "n": "não", "nao": "não", "naum": "não",
        "ñ": "não", "eh": "é", "ta": "está", "tá": "está", "to": "estou", "tô": "estou",
        "vlw": "valeu", "pf": "por favor", "pfv": "por favor", "pfvr": "por favor", "mto": "muito",
        "mt": "muito", "mta": "muita", "agr": "agora", "dps": "depois", "fds": "fim de semana",
        "cmg": "comigo", "ctg": "contigo", "ngm": "ninguém", "alguem": "alguém", "tbem": "também",
        "horario": "horário", "horarios": "horários", "endereco": "endereço", "preco": "preço",
        "precos": "preços", "ate": "até", "entao": "então", "ja": "já", "la": "lá", "ola": "olá",
        "info": "informação", "infos": "informações", "whats": "whatsapp", "zap": "whatsapp",
    ]

    static let spanish: [String: String] = [
        "q": "que", "k": "que", "xq": "porque", "pq": "porque", "porq": "porque", "mñn": "mañana",
        "mñna": "mañana", "manana": "mañana", "tb": "también", "tmb": "también", "tambien": "también",
        "xfa": "por favor", "pf": "por favor", "porfa": "por favor", "pls": "por favor",
        "dnd": "dónde", "donde": "dónde", "d": "de", "x": "por", "msj": "mensaje", "grax": "gracias",
        "finde": "fin de semana", "sabado": "sábado", "miercoles": "miércoles",
        "aca": "acá", "ahi": "ahí", "tmbn": "también", "hrs": "horas", "hr": "hora",
        "ntp": "no te preocupes", "info": "información",
    ]

    static let english: [String: String] = [
        "u": "you", "r": "are", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks",
        "thnx": "thanks", "ty": "thank you", "tmrw": "tomorrow", "tmr": "tomorrow", "2morrow": "tomorrow",
        "msg": "message", "hrs": "hours", "hr": "hour", "appt": "appointment", "idk": "i do not know",
        "dont": "do not", "don't": "do not", "can't": "cannot", "cant": "cannot", "won't": "will not",
        "wanna": "want to", "gonna": "going to", "info": "information", "sat": "saturday", "sun": "sunday",
        "mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday", "fri": "friday",
    ]
}

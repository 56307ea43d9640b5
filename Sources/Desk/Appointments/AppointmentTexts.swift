import Foundation

/// What the customer reads about their appointment, in pt, es or en: the confirmation (date,
/// time, service, price, address, how to cancel), a move, a cancellation, a reminder.
struct AppointmentTexts {
    let language: String
    let zone: TimeZone
    let business: String

    init(language: String?, zone: TimeZone, business: String) {
        self.language = ["pt", "es", "en"].contains(language ?? "") ? language! : "pt"
        (self.zone, self.business) = (zone, business)
    }

    private func pick(_ pt: String, _ es: String, _ en: String) -> String {
        switch language { case "es": es; case "en": en; default: pt }
    }

    /// "sexta-feira, 11/12 às 14:00" — the day and time in the business time zone.
    func when(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: pick("pt_BR", "es_ES", "en_GB"))
        formatter.dateFormat = pick("EEEE, dd/MM 'às' HH:mm", "EEEE dd/MM 'a las' HH:mm", "EEEE dd/MM 'at' HH:mm")
        return formatter.string(from: date)
    }

    /// A slot as a list row (≤ 24 characters): "sex 11/12 14:00".
    func short(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: pick("pt_BR", "es_ES", "en_GB"))
        formatter.dateFormat = "EEE dd/MM HH:mm"
        return String(formatter.string(from: date).replacingOccurrences(of: ".", with: "").prefix(24))
    }

    /// "R$ 120,00", or nil without a price.
    static func price(_ cents: Int?) -> String? {
        guard let cents else { return nil }
        let reais = cents / 100, centavos = cents % 100
        var digits = String(reais)
        var grouped = ""
        while digits.count > 3 { grouped = "." + digits.suffix(3) + grouped; digits.removeLast(3) }
        return "R$ \(digits)\(grouped),\(String(format: "%02d", centavos))"
    }

    func confirmation(_ appointment: Appointment, staffName: String?, address: String, icsURL: String?) -> String {
        var lines = [pick(appointment.status == .pending ? "Pedido de agendamento recebido (aguarda confirmação da equipe):" : "Agendamento confirmado ✅",
                          appointment.status == .pending ? "Solicitud de cita recibida (pendiente de confirmación del equipo):" : "Cita confirmada ✅",
                          appointment.status == .pending ? "Booking request received (waiting for the team to confirm):" : "Appointment confirmed ✅")]
        lines.append("\(appointment.serviceName) — \(when(appointment.start))")
        if let staffName { lines.append(pick("Com \(staffName)", "Con \(staffName)", "With \(staffName)")) }
        if let price = Self.price(appointment.priceCents) { lines.append(pick("Valor: \(price)", "Precio: \(price)", "Price: \(price)")) }
        if !address.isEmpty { lines.append(pick("Endereço: \(address)", "Dirección: \(address)", "Address: \(address)")) }
        if let icsURL { lines.append(pick("Adicionar à agenda: \(icsURL)", "Añadir al calendario: \(icsURL)", "Add to calendar: \(icsURL)")) }
        lines.append(pick("Para remarcar ou cancelar, é só responder \"remarcar\" ou \"cancelar\".",
                          "Para cambiar o cancelar, responde \"cambiar\" o \"cancelar\".",
                          "To move or cancel, reply \"reschedule\" or \"cancel\"."))
        return lines.joined(separator: "\n")
    }

    func moved(_ appointment: Appointment) -> String {
        pick("Seu horário de \(appointment.serviceName) mudou para \(when(appointment.start)).",
             "Tu cita de \(appointment.serviceName) cambió a \(when(appointment.start)).",
             "Your \(appointment.serviceName) appointment moved to \(when(appointment.start)).")
    }

    func cancelled(_ appointment: Appointment) -> String {
        pick("Seu horário de \(appointment.serviceName) em \(when(appointment.start)) foi cancelado. Quando quiser marcar de novo, é só chamar.",
             "Tu cita de \(appointment.serviceName) del \(when(appointment.start)) fue cancelada. Cuando quieras agendar otra, escríbenos.",
             "Your \(appointment.serviceName) appointment on \(when(appointment.start)) was cancelled. Write to us whenever you want to book again.")
    }

    func reminder(_ appointment: Appointment, name: String) -> String {
        pick("Olá, \(name)! Lembrete: \(appointment.serviceName) \(when(appointment.start)). Você confirma?",
             "¡Hola, \(name)! Recordatorio: \(appointment.serviceName) \(when(appointment.start)). ¿Confirmas?",
             "Hi \(name)! Reminder: \(appointment.serviceName) \(when(appointment.start)). Can you confirm?")
    }

    /// The three answers to a reminder, as buttons (and numbered on SMS).
    var reminderChoices: [String] { [pick("Confirmar", "Confirmar", "Confirm"), pick("Remarcar", "Cambiar", "Reschedule"), pick("Cancelar", "Cancelar", "Cancel")] }

    func reminderConfirmed(_ appointment: Appointment) -> String {
        pick("Obrigado! Confirmado: \(appointment.serviceName) \(when(appointment.start)). Até lá!",
             "¡Gracias! Confirmado: \(appointment.serviceName) \(when(appointment.start)). ¡Hasta pronto!",
             "Thank you! Confirmed: \(appointment.serviceName) \(when(appointment.start)). See you then!")
    }

    // MARK: The booking dialogue

    var askService: String { pick("Qual serviço você quer agendar?", "¿Qué servicio quieres agendar?", "Which service would you like to book?") }
    var chooseButton: String { pick("Ver opções", "Ver opciones", "See options") }
    func askWhen(_ service: String) -> String {
        pick("Para quando você quer \(service)? Pode dizer, por exemplo, \"amanhã à tarde\" ou \"sexta 14h\".",
             "¿Para cuándo quieres \(service)? Puedes decir, por ejemplo, \"mañana por la tarde\" o \"viernes 14h\".",
             "When would you like \(service)? You can say, for example, \"tomorrow afternoon\" or \"Friday 2pm\".")
    }
    func offer(_ service: String, nothingThen: Bool) -> String {
        (nothingThen ? pick("Não tenho horário livre nesse período. ", "No tengo horario libre en ese período. ", "Nothing is free then. ") : "")
            + pick("Horários livres para \(service) — qual prefere?", "Horarios libres para \(service) — ¿cuál prefieres?", "Free times for \(service) — which suits you?")
    }
    var taken: String { pick("Esse horário acabou de ser preenchido. ", "Ese horario acaba de ocuparse. ", "That time was just taken. ") }
    var noneFree: String {
        pick("Não encontrei horário livre nas próximas semanas. Vou pedir para alguém da equipe falar com você.",
             "No encontré horario libre en las próximas semanas. Le pediré a alguien del equipo que te escriba.",
             "I found no free time in the coming weeks. I'll ask someone from the team to write to you.")
    }
    var pickNumber: String { pick("Qual horário prefere? Responda com o número da opção, ou diga outro dia.",
                                  "¿Qué horario prefieres? Responde con el número de la opción, o dime otro día.",
                                  "Which time do you prefer? Reply with the option's number, or tell me another day.") }
    var noUpcoming: String { pick("Não encontrei nenhum horário marcado para você.", "No encontré ninguna cita agendada para ti.", "I found no upcoming appointment for you.") }
    func askCancel(_ appointment: Appointment) -> String {
        pick("Quer cancelar \(appointment.serviceName) \(when(appointment.start))? Responda sim ou não.",
             "¿Quieres cancelar \(appointment.serviceName) \(when(appointment.start))? Responde sí o no.",
             "Cancel \(appointment.serviceName) \(when(appointment.start))? Reply yes or no.")
    }
    func askMoveOrCancel(_ appointment: Appointment) -> String {
        pick("Sobre \(appointment.serviceName) \(when(appointment.start)): quer remarcar ou cancelar?",
             "Sobre \(appointment.serviceName) \(when(appointment.start)): ¿quieres cambiarla o cancelarla?",
             "About \(appointment.serviceName) \(when(appointment.start)): reschedule or cancel?")
    }
    var moveOrCancelChoices: [String] { [pick("Remarcar", "Cambiar", "Reschedule"), pick("Cancelar", "Cancelar", "Cancel")] }
    func kept(_ appointment: Appointment) -> String {
        pick("Combinado, seu horário continua: \(appointment.serviceName) \(when(appointment.start)).",
             "De acuerdo, tu cita sigue: \(appointment.serviceName) \(when(appointment.start)).",
             "Alright, your appointment stays: \(appointment.serviceName) \(when(appointment.start)).")
    }
    var yesOrNo: String { pick("Responda sim ou não, por favor.", "Responde sí o no, por favor.", "Please reply yes or no.") }
    var lapsed: String {
        pick("Vou encerrar o agendamento por aqui. Quando quiser continuar, é só me chamar! 😊",
             "Cierro el agendamiento por ahora. ¡Cuando quieras seguir, escríbeme! 😊",
             "I'll stop the booking here for now. Write whenever you'd like to go on! 😊")
    }
}

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
}

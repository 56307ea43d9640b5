extension IntentSeeds {
    static let spanish: [BusinessIntent: String] = [
        .greeting: """
            hola
            buenas
            buenos días
            buenas tardes
            buenas noches
            hola, ¿qué tal?
            hola, ¿cómo están?
            qué onda
            holi
            hola buen día
            saludos
            hola, ¿hay alguien?
            """,
        .pricing: """
            ¿cuánto cuesta?
            ¿cuánto sale?
            ¿cuál es el precio?
            ¿cuánto cuesta la limpieza?
            ¿qué precio tiene el corte?
            ¿cuánto cobran?
            ¿tienen lista de precios?
            ¿cuánto vale la consulta?
            ¿hay descuento?
            ¿tienen promociones?
            ¿cuánto es el envío?
            pásame los precios
            ¿cuánto me sale el paquete?
            """,
        .hours: """
            ¿a qué hora abren?
            ¿a qué hora cierran?
            ¿abren los sábados?
            ¿abren el domingo?
            ¿cuál es el horario?
            ¿están abiertos ahora?
            ¿abren hoy?
            ¿atienden en feriados?
            horario de atención
            ¿hasta qué hora atienden?
            ¿abren mañana?
            ¿cierran al mediodía?
            """,
        .location: """
            ¿dónde están?
            ¿dónde queda?
            ¿cuál es la dirección?
            mándame la ubicación
            ¿cómo llego?
            ¿tienen estacionamiento?
            ¿en qué barrio están?
            ¿tienen otra sucursal?
            pásame la dirección por favor
            ¿queda cerca del metro?
            ¿dónde es el local?
            """,
        .booking: """
            quiero agendar una cita
            quiero reservar un turno
            ¿tienen turno para mañana?
            quisiera sacar una cita
            ¿hay lugar hoy?
            quiero reservar una mesa
            ¿puedo agendar para el viernes?
            ¿tienen disponibilidad el lunes?
            me anotas para las 10
            ¿cómo hago para reservar?
            quiero un turno para corte
            """,
        .rescheduleCancel: """
            necesito cambiar mi cita
            quiero reprogramar
            quiero cancelar mi turno
            ¿puedo cambiar la hora?
            cancela mi reserva por favor
            no voy a poder ir, ¿lo podemos mover?
            quiero pasar la cita a otro día
            necesito cancelar el pedido
            ¿se puede adelantar mi turno?
            quiero anular la reserva
            """,
        .payment: """
            ¿aceptan tarjeta?
            ¿puedo pagar con transferencia?
            ¿aceptan efectivo?
            ¿se puede pagar en cuotas?
            ¿aceptan mercado pago?
            ¿cómo pago?
            ya hice la transferencia
            te mando el comprovante de pago
            ¿tienen link de pago?
            ¿aceptan débito?
            el pago fue rechazado
            """,
        .orderStatus: """
            ¿dónde está mi pedido?
            ¿ya salió mi pedido?
            ¿cuándo llega mi compra?
            mi pedido no ha llegado
            ¿tienen número de seguimiento?
            ¿ya enviaron mi paquete?
            estado de mi pedido
            mi pedido está atrasado
            todavía no recibo mi compra
            ¿cuánto falta para la entrega?
            ¿mi pedido ya está listo?
            """,
        .complaint: """
            pésima atención, estoy muy molesto
            quiero poner una queja
            es un abuso
            el producto llegó dañado
            el servicio fue horrible
            estoy muy insatisfecho
            nadie me responde, qué falta de respeto
            me cobraron mal
            el pedido llegó equivocado
            la comida llegó fría
            quiero mi dinero de vuelta
            nunca más les compro
            """,
        .humanRequest: """
            quiero hablar con un agente
            quiero hablar con una persona
            pásame con un humano
            ¿eres un robot?
            quiero hablar con el encargado
            necesito hablar con alguien
            quiero atención humana
            ¿me pueden llamar?
            comunícame con un asesor
            no quiero hablar con un bot
            """,
        .thanksBye: """
            gracias
            ¡muchas gracias!
            mil gracias
            chau
            adiós
            hasta luego
            nos vemos
            gracias por la ayuda
            ok gracias
            perfecto, gracias
            que tengas buen día
            eso era todo, gracias
            """,
        .other: """
            ¿cuál es la capital de francia?
            cuéntame un chiste
            ¿va a llover mañana?
            ¿quién ganó el partido?
            ¿te gusta la música?
            recomiéndame una película
            ¿cómo hago una torta?
            ¿a cuánto está el dólar?
            ayúdame con mi tarea
            prueba
            """,
    ]
}

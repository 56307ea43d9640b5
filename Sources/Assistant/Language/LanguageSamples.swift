/// Sample text the trigram model counts from, written for Atende in the register of a small
/// business's chat: greetings, prices, opening hours, bookings, payments, complaints, and a few
/// sentences of regulation-style prose so longer documents are recognised too.
enum LanguageSamples {
    static let text: [Language: String] = [.pt: portuguese, .es: spanish, .en: english]

    static let portuguese = """
        Olá, bom dia! Tudo bem com você? Gostaria de saber quanto custa uma consulta e se vocês \
        atendem no sábado. Nosso horário de funcionamento é de segunda a sexta, das oito da manhã \
        às seis da tarde, e aos sábados até o meio-dia. Para agendar um horário, basta responder \
        esta mensagem com o dia e a hora que prefere. Não conseguimos atender aos domingos nem nos \
        feriados. Obrigado pela preferência, até logo! Quero remarcar minha consulta de amanhã \
        porque tive um imprevisto no trabalho. Vocês aceitam cartão de crédito, débito ou pix? O \
        pagamento pode ser parcelado em até três vezes sem juros. A entrega é feita em todo o \
        bairro e o frete é grátis para pedidos acima de cem reais. Onde fica a loja? Estamos na \
        rua das Flores, número duzentos, perto da praça. Tem estacionamento? Sim, temos vagas para \
        clientes na frente do prédio. Estou muito insatisfeito com o atendimento, ninguém respondeu \
        minhas mensagens ontem. Pedimos desculpas pelo transtorno; um atendente vai falar com você \
        agora mesmo. Qual é o valor do corte de cabelo? A escova custa cinquenta reais e a \
        hidratação sessenta. Posso levar meu filho junto? Claro, ele será muito bem-vindo. Boa \
        tarde, ainda tem vaga para hoje à noite? Infelizmente não, mas amanhã temos horários livres \
        de manhã. O cancelamento deve ser feito com vinte e quatro horas de antecedência, senão \
        será cobrada uma taxa. A coordenação do curso é responsável pela avaliação dos pedidos de \
        matrícula, conforme a resolução do conselho universitário, e os estudantes devem entregar \
        os documentos exigidos dentro do prazo estabelecido pela secretaria acadêmica. Essa regra \
        também vale para transferências entre instituições e para a revalidação de diplomas \
        obtidos no exterior, cuja análise depende de parecer da comissão competente.
        """

    static let spanish = """
        ¡Hola, buenos días! ¿Cómo está usted? Quisiera saber cuánto cuesta una consulta y si \
        ustedes atienden los sábados. Nuestro horario de atención es de lunes a viernes, de ocho de \
        la mañana a seis de la tarde, y los sábados hasta el mediodía. Para reservar una cita, \
        basta con responder este mensaje con el día y la hora que prefiere. No podemos atender los \
        domingos ni los feriados. ¡Muchas gracias por su preferencia, hasta luego! Quiero cambiar \
        mi cita de mañana porque tuve un imprevisto en el trabajo. ¿Aceptan tarjeta de crédito, \
        débito o transferencia? El pago puede hacerse en tres cuotas sin intereses. La entrega se \
        hace en todo el barrio y el envío es gratis para pedidos de más de cien pesos. ¿Dónde \
        queda la tienda? Estamos en la calle de las Flores, número doscientos, cerca de la plaza. \
        ¿Hay estacionamiento? Sí, tenemos lugares para clientes frente al edificio. Estoy muy \
        molesto con la atención, nadie contestó mis mensajes ayer. Le pedimos disculpas por las \
        molestias; un agente va a hablar con usted ahora mismo. ¿Cuál es el precio del corte de \
        pelo? El peinado cuesta cincuenta pesos y el tratamiento sesenta. ¿Puedo llevar a mi hijo? \
        Claro, será muy bienvenido. Buenas tardes, ¿todavía hay lugar para hoy en la noche? \
        Lamentablemente no, pero mañana tenemos horarios libres en la mañana. La cancelación debe \
        hacerse con veinticuatro horas de anticipación; si no, se cobrará una tarifa. La dirección \
        del programa es responsable de la evaluación de las solicitudes de inscripción, según la \
        resolución del consejo universitario, y los estudiantes deben entregar los documentos \
        exigidos dentro del plazo establecido por la secretaría académica. Esta regla también se \
        aplica a los traslados entre instituciones y a la convalidación de títulos obtenidos en el \
        extranjero, cuyo análisis depende del dictamen de la comisión competente.
        """

    static let english = """
        Hello, good morning! How are you? I would like to know how much an appointment costs and \
        whether you are open on Saturdays. Our opening hours are Monday to Friday, from eight in \
        the morning to six in the evening, and Saturdays until noon. To book a time, just reply to \
        this message with the day and the hour you prefer. We cannot see anyone on Sundays or \
        public holidays. Thank you for choosing us, see you soon! I want to reschedule my \
        appointment tomorrow because something came up at work. Do you take credit cards, debit \
        cards or bank transfers? Payment can be split into three instalments with no interest. \
        We deliver across the whole neighbourhood and shipping is free for orders over a hundred \
        dollars. Where is the shop? We are on Flower Street, number two hundred, near the square. \
        Is there parking? Yes, there are spaces for customers in front of the building. I am very \
        unhappy with the service, nobody answered my messages yesterday. We are sorry for the \
        trouble; someone from the team will talk to you right now. What is the price of a haircut? \
        A blow-dry costs fifty dollars and a treatment sixty. Can I bring my son along? Of course, \
        he is very welcome. Good afternoon, is there still a slot for tonight? Unfortunately not, \
        but tomorrow we have free times in the morning. Cancellations must be made twenty-four \
        hours in advance, otherwise a fee will be charged. The course office is responsible for \
        reviewing enrolment requests, according to the resolution of the university council, and \
        students must hand in the required documents within the deadline set by the registry. \
        This rule also applies to transfers between institutions and to the recognition of \
        degrees obtained abroad, whose review depends on the opinion of the relevant committee. \
        Thanks a lot, that is exactly what I needed to know. Which one would you recommend?
        """
}

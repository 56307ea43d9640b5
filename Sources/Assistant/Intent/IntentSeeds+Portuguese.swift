extension IntentSeeds {
    static let portuguese: [BusinessIntent: String] = [
        .greeting: """
            oi
            olá
            oie
            oi tudo bem?
            bom dia
            boa tarde
            boa noite
            e aí
            opa
            alô
            oi, bom dia!
            olá, tudo bem com vocês?
            oi pessoal
            bom dia, tudo certo?
            boa tarde, td bem?
            oi, alguém aí?
            salve
            oii
            """,
        .pricing: """
            quanto custa?
            quanto custa a limpeza?
            qual o valor?
            qual o preço do corte?
            quanto é a consulta?
            quanto fica?
            qual o valor da sessão?
            vocês têm tabela de preços?
            me passa os valores
            quanto vcs cobram?
            qual o preço?
            quanto sai o pacote?
            tem promoção?
            tem desconto?
            o orçamento fica quanto?
            qual o valor do frete?
            preço da manicure
            quanto custa a entrega?
            """,
        .hours: """
            qual o horário de funcionamento?
            vcs abrem sábado?
            vocês abrem domingo?
            que horas abre?
            que horas fecha?
            até que horas vocês ficam abertos?
            estão abertos agora?
            abre no feriado?
            qual o horário de atendimento?
            funciona hoje?
            vocês funcionam aos sábados?
            a loja abre que horas amanhã?
            horário de sábado
            fecham pra almoço?
            estão funcionando hoje?
            abre segunda?
            """,
        .location: """
            onde fica?
            onde vocês ficam?
            qual o endereço?
            me manda a localização
            como chego aí?
            fica perto do metrô?
            tem estacionamento?
            qual o bairro?
            vocês ficam em qual rua?
            manda o endereço por favor
            onde é a loja?
            tem outra unidade?
            qual a referência pra chegar?
            me passa a localização no mapa
            vcs ficam onde?
            """,
        .booking: """
            quero marcar um horário
            quero agendar uma consulta
            tem horário amanhã?
            dá pra marcar pra sexta?
            gostaria de agendar
            tem vaga hoje?
            queria marcar um corte
            consigo um horário às 15h?
            posso agendar para semana que vem?
            quero reservar uma mesa
            tem disponibilidade na segunda?
            marca pra mim às 10h
            quero fazer uma reserva
            tem agenda pra sábado?
            como faço pra agendar?
            queria uma avaliação
            """,
        .rescheduleCancel: """
            preciso remarcar
            quero remarcar meu horário
            posso mudar o horário?
            quero cancelar
            preciso cancelar minha consulta
            não vou conseguir ir, pode desmarcar?
            dá pra trocar pra outro dia?
            quero adiar o agendamento
            cancela meu pedido
            quero mudar a data da reserva
            vou me atrasar, dá pra passar pra mais tarde?
            desmarca pra mim por favor
            preciso trocar o dia
            quero cancelar a reserva
            consigo antecipar meu horário?
            """,
        .payment: """
            aceita pix?
            aceitam cartão?
            qual a chave pix?
            posso pagar no cartão de crédito?
            parcela?
            dá pra parcelar em 3x?
            aceita débito?
            como faço o pagamento?
            manda o boleto
            paguei, segue o comprovante
            já fiz o pix
            aceita dinheiro?
            tem link de pagamento?
            posso pagar na hora?
            aceitam vale refeição?
            o pagamento não foi aprovado
            """,
        .orderStatus: """
            cadê meu pedido?
            meu pedido já saiu?
            qual o status do meu pedido?
            quando chega minha encomenda?
            o pedido ainda não chegou
            tem código de rastreio?
            já foi enviado?
            quanto tempo falta pra entrega?
            meu pedido está atrasado
            meu pedido 12345 já foi despachado?
            o motoboy já saiu?
            ainda não recebi minha compra
            previsão de entrega?
            acompanhar pedido
            meu pedido tá pronto?
            """,
        .complaint: """
            péssimo atendimento, estou muito irritado
            quero fazer uma reclamação
            vocês são um absurdo
            o produto veio com defeito
            o serviço foi horrível
            estou muito insatisfeito
            ninguém me responde, que descaso
            vou reclamar no procon
            vou colocar no reclame aqui
            veio errado meu pedido
            fui mal atendido
            que falta de respeito
            cobraram errado
            a comida chegou fria
            esperei uma hora e ninguém me atendeu
            quero meu dinheiro de volta
            que vergonha, nunca mais compro aí
            """,
        .humanRequest: """
            quero falar com um atendente
            posso falar com uma pessoa?
            tem alguém aí de verdade?
            me passa pra um humano
            quero falar com o gerente
            chama alguém por favor
            quero atendimento humano
            você é robô?
            preciso falar com alguém
            me liga por favor
            quero falar com o dono
            transfere pra um atendente
            não quero falar com robô
            tem algum telefone pra ligar?
            """,
        .thanksBye: """
            obrigado!
            obrigada
            valeu
            muito obrigado
            brigado
            tchau
            até mais
            até logo
            falou, valeu
            obrigado pela ajuda
            ok obrigado
            beleza, valeu!
            agradeço
            show, obrigada
            boa noite, obrigado
            tenha um bom dia
            era só isso, obrigado
            """,
        .other: """
            qual a capital da frança?
            me conta uma piada
            vai chover amanhã?
            quem ganhou o jogo ontem?
            você gosta de música?
            qual o sentido da vida?
            traduz isso pra inglês
            qual a senha do wifi da minha casa?
            quanto é 2 mais 2?
            me indica um filme
            como faço bolo de cenoura?
            qual a cotação do dólar?
            meu carro está fazendo barulho
            quem é o presidente?
            me ajuda com meu dever de casa
            teste
            """,
    ]
}

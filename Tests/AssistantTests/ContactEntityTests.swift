import Assistant
import Foundation
import Testing

@Suite struct MoneyEntityTests {
    let pt = EntityExtractor(language: .pt, timeZone: .gmt)

    @Test(arguments: [
        ("R$ 1.234,50", "1234.5"), ("15 reais", "15"), ("R$15", "15"), ("1,5 mil reais", "1500"),
        ("custa R$ 89,90?", "89.9"), ("uns 200 contos", "200"), ("R$ 2.000", "2000"),
    ])
    func portugueseAmountsAreReaisWithDecimalCommas(_ text: String, _ amount: String) throws {
        let money = try #require(pt.money(in: text).first)
        #expect(money.value == Money(currency: "BRL", amount: Decimal(string: amount) ?? 0), "\(text)")
    }

    @Test func theMatchCoversSignNumberAndWord() throws {
        let text = "o corte fica R$ 1.234,50 com tudo"
        let money = try #require(pt.money(in: text).first)
        #expect(money.text == "R$ 1.234,50")
        #expect(pt.money(in: "1,5 mil reais").first?.text == "1,5 mil reais")
    }

    @Test func dollarsAndPesos() {
        let en = EntityExtractor(language: .en, timeZone: .gmt)
        let es = EntityExtractor(language: .es, timeZone: .gmt)
        #expect(en.money(in: "it's $20").first?.value == Money(currency: "USD", amount: 20))
        #expect(en.money(in: "1,234.50 dollars").first?.value == Money(currency: "USD", amount: Decimal(string: "1234.5") ?? 0))
        #expect(es.money(in: "USD 20").first?.value == Money(currency: "USD", amount: 20))
        #expect(es.money(in: "cuesta $ 300").first?.value == Money(currency: nil, amount: 300))
        #expect(es.money(in: "20 dólares").first?.value == Money(currency: "USD", amount: 20))
    }

    @Test(arguments: ["quero 15", "dia 15/03", "às 14h30", "1.234"])
    func aNumberWithoutACurrencyIsNotMoney(_ text: String) {
        #expect(pt.money(in: text).isEmpty)
    }
}

@Suite struct PhoneAndEmailEntityTests {
    let pt = EntityExtractor(language: .pt, timeZone: .gmt)

    @Test(arguments: [
        "(11) 91234-5678", "+55 11 91234-5678", "11912345678", "011 91234 5678", "5511912345678", "11 9 1234-5678",
    ])
    func brazilianMobilesBecomeE164(_ text: String) {
        #expect(pt.phones(in: "meu whats é \(text), obrigado").map(\.value) == ["+5511912345678"], "\(text)")
    }

    @Test func landlinesAndOtherCountries() {
        #expect(pt.phones(in: "liga no (21) 2345-6789").map(\.value) == ["+552123456789"])
        #expect(pt.phones(in: "call +1 415 555 2671").map(\.value) == ["+14155552671"])
    }

    @Test func theMatchIsTheNumberAsWritten() throws {
        let phone = try #require(pt.phones(in: "fone: (11) 91234-5678.").first)
        #expect(phone.text == "(11) 91234-5678")
    }

    @Test(arguments: ["91234-5678", "R$ 1.234,50", "CPF 123.456.789-09", "pedido 123456", "dia 12/03/2025"])
    func numbersThatAreNotFullPhonesAreLeftOut(_ text: String) {
        #expect(pt.phones(in: text).isEmpty, "\(text)")
    }

    @Test func emailsAreFoundAndLowerCased() {
        let found = pt.emails(in: "meu email é Ana.Silva@Exemplo.com.br. valeu")
        #expect(found.map(\.value) == ["ana.silva@exemplo.com.br"])
        #expect(found.first?.text == "Ana.Silva@Exemplo.com.br")
        #expect(pt.emails(in: "me chama no @ana ou ana@").isEmpty)
    }
}

@Suite struct NameEntityTests {
    func names(_ text: String, _ language: Language = .pt) -> [String] {
        EntityExtractor(language: language, timeZone: .gmt).names(in: text).map(\.value)
    }

    @Test func namesFollowTheirCues() {
        #expect(names("Oi, meu nome é Ana") == ["Ana"])
        #expect(names("oi sou a Ana Paula da Silva e queria marcar") == ["Ana Paula da Silva"])
        #expect(names("me chamo joão") == ["João"])
        #expect(names("Hola, me llamo Juan", .es) == ["Juan"])
        #expect(names("hi, my name is Mary Jane", .en) == ["Mary Jane"])
        #expect(names("aqui é o Pedro, tudo bem?") == ["Pedro"])
    }

    @Test func weakCuesNeedACapital() {
        #expect(names("sou a favor de remarcar").isEmpty)
        #expect(names("I'm fine, thanks", .en).isEmpty)
        #expect(names("soy cliente nuevo", .es).isEmpty)
    }

    @Test func theMatchCoversOnlyTheName() throws {
        let text = "meu nome é Ana Souza, quero agendar"
        let match = try #require(EntityExtractor(language: .pt, timeZone: .gmt).names(in: text).first)
        #expect(match.text == "Ana Souza")
        #expect(String(text[match.range]) == "Ana Souza")
    }
}

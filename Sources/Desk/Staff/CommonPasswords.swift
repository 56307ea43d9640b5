/// Passwords attackers try first. Composed by us for Atende (not copied from any published list):
/// frequent words in English and Brazilian Portuguese, keyboard walks, names, football clubs,
/// and the usual decorations (digits, years, "!", "@123") applied to each base word. Only
/// lower-case forms are kept; `PasswordPolicy` lower-cases the password before looking it up.
enum CommonPasswords {
    /// Whole passwords, written out.
    static let literal: [String] = """
    password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword pa55word passwort
    12345678 123456789 1234567890 0123456789 11111111 00000000 88888888 66666666 12341234 12121212
    87654321 11223344 112233445566 123123123 123321123 147258369 159753159 741852963 963852741 1q2w3e4r
    1q2w3e4r5t 1qaz2wsx 1qazxsw2 zaq12wsx zaq1zaq1 qwertyui qwertyuiop qwerty123 qwerty12 qwerty1234
    asdfghjk asdfghjkl asdf1234 zxcvbnm1 zxcvbnm123 qazwsxedc q1w2e3r4 q1w2e3r4t5 a1b2c3d4 abc12345
    abcd1234 abcdefg1 aa123456 aaa11111 1a2b3c4d iloveyou iloveyou1 iloveyou2 iloveu123 letmein1
    letmein123 welcome1 welcome123 welcome2024 trustno1 sunshine sunshine1 princess princess1
    football football1 baseball baseball1 basketball superman superman1 batman123 starwars starwars1
    dragon123 monkey123 master123 shadow123 michael1 jennifer jordan23 charlie1 freedom1 whatever
    computer internet security changeme changeme1 default1 administrator admin123 admin1234 adminadmin
    root1234 rootroot toor1234 test1234 testing1 testtest guest123 user1234 login123 secret123
    mypassword newpassword mustang1 corvette ferrari1 mercedes chocolate chocolate1 butterfly
    elephant pokemon1 minecraft fortnite1 roblox123 spiderman ironman1 harrypotter hogwarts
    cheese123 cookie123 pepper123 summer2024 summer2025 winter2024 spring2024 autumn2024 hello123
    hello1234 helloworld goodluck1 blessed1 jesus123 jesuscristo god12345 lovely123 loveyou1
    senha123 senha1234 senha12345 senha@123 minhasenha novasenha senhasenha senhaforte mudar123
    mudar@123 trocar123 alterar123 acesso123 entrar123 usuario123 usuario1 administrador admin@123
    brasil123 brasil2014 brasil2022 brasil10 brazil123 saopaulo saopaulo1 riodejaneiro flamengo
    flamengo1 flamengo10 flamengo123 corinthians corinthians1 corinthians10 palmeiras palmeiras1
    saopaulofc vascodagama vasco123 gremio123 internacional cruzeiro cruzeiro1 botafogo botafogo1
    fluminense santos123 atleticomg bahia123 sport123 fortaleza1 mengao123 timao123 verdao123
    eusouflamengo teamo123 teamo1234 euteamo euteamo123 amor1234 amor12345 meuamor meuamor123
    amorzinho amorzinho1 princesa princesa1 princesa123 gatinha1 gatinho1 bebezinho docinho1
    felicidade saudade1 familia1 familia123 deusefiel deusefiel1 jesusteama jesuscristo1 deus1234
    obrigado1 bomdia123 boanoite beijinho chocolate12 morango1 abacaxi1 cachorro cachorro1
    gabriel1 gabriel123 lucas123 mateus123 matheus1 pedro123 joao1234 maria123 mariana1
    fernanda fernanda1 juliana1 amanda123 camila123 beatriz1 leticia1 larissa1 rafael123
    guilherme guilherme1 gustavo1 carlos123 eduardo1 felipe123 bruno123 ricardo1 rodrigo1
    daniel123 thiago123 vitoria1 isabela1 giovanna1 jessica1 patricia vanessa1 aline123
    michelle natalia1 ana12345 anaclara analuiza mariaeduarda joaopedro joaovictor
    qualquer1 qualquercoisa naosei123 sempre123 123mudar mudar1234 123senha 123456ab 123456abc
    abc123456 a123456789 123abc123 123qwe123 qwe123qwe qweasdzxc qweasd123 asdasd123 zxczxczxc
    1234qwer 1234abcd 12345abc 12345qwert 123456qwerty abcdef123 aaaaaa11 abc123abc
    passpass pass1234 pass12345 password! password@ senha!123 senha@1234 admin!123 qwerty!23
    computador notebook1 celular1 empresa123 empresa1 clinica123 salao123 loja1234 escritorio
    atendimento atende123 suporte123 contato123 vendas123 financeiro recepcao recepcao1
    """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// Base words, each also tried with every decoration below.
    static let bases: [String] = """
    password senha admin qwerty abc letmein welcome monkey dragon master shadow sunshine princess
    football soccer futebol love amor iloveyou teamo brasil brazil flamengo corinthians palmeiras
    santos gremio vasco cruzeiro botafogo mengao timao verdao jesus deus familia maria joao
    gabriel lucas pedro ana julia mateus rafael bruno felipe daniel carlos paulo marcos jose
    michael jordan charlie thomas george andrew daniel jessica ashley hunter ranger killer
    batman superman pokemon naruto dragonball samsung iphone apple google facebook instagram
    whatsapp netflix hello hola ola oi test teste user usuario guest login acesso changeme
    trocar mudar secret segredo pass qwe asd zxc azerty welcome banana chocolate cookie
    summer winter spring autumn verao inverno tigre leao gatinha gatinho cachorro
    """.split(whereSeparator: \.isWhitespace).map(String.init)

    static let decorations: [String] = [
        "", "1", "12", "123", "1234", "12345", "123456", "!", "!!", "@", "@123", "#1", "123!", "01", "007",
        "10", "13", "69", "99", "2000", "2010", "2020", "2021", "2022", "2023", "2024", "2025", "2026",
    ]

    /// Every listed password of at least 8 characters (shorter ones fail the length rule first).
    static let all: Set<String> = {
        var set = Set(literal)
        for base in bases {
            for decoration in decorations {
                set.insert(base + decoration)
                set.insert(decoration + base)
            }
        }
        return set.filter { $0.count >= PasswordPolicy.minimumCharacters }
    }()

    static func contains(_ folded: String) -> Bool { all.contains(folded) }
}

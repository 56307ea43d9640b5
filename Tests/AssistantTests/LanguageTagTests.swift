import Assistant
import Testing

@Suite struct LanguageTagTests {
    @Test(arguments: [("pt-BR", Language.pt), ("es_419", .es), ("EN", .en), ("en-US", .en), ("pt", .pt)])
    func aTagNamesItsPrimaryLanguage(_ tag: String, _ language: Language) {
        #expect(Language(tag: tag) == language)
    }

    @Test(arguments: ["fr-FR", "", "-", "portuguese"])
    func aLanguageTheAssistantDoesNotSpeakIsNil(_ tag: String) {
        #expect(Language(tag: tag) == nil)
    }
}

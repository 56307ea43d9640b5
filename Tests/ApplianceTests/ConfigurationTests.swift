import AtendeTesting
import Foundation
import Testing
@testable import Appliance

@Suite struct ConfigurationTests {
    @Test func noFlagsRunOnADataDirectoryHereWithTheKeyBesideIt() throws {
        let config = try Configuration.load(flags: [:], configFlag: nil, environment: [:], installed: false)
        #expect(config.dataDirectory == "./data")
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.masterKeyFile == Configuration.resolve("./master.key"))
    }

    @Test func anInstalledBinaryUsesTheSystemPaths() throws {
        let config = try Configuration.load(flags: [:], configFlag: nil, environment: [:], installed: true)
        #expect(config.dataDirectory == "/var/lib/atende")
        #expect(config.masterKeyFile == "/etc/atende/master.key")
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("atende.toml")
        try """
            # comment
            port = 9000
            host = "0.0.0.0"   # trailing comment
            log_level = "debug"
            map_size_mb = 64
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try Configuration.load(flags: [:], configFlag: file, environment: [:], installed: false)
        #expect(fromFile.port == 9000 && fromFile.host == "0.0.0.0" && fromFile.logLevel == .debug && fromFile.mapSizeMB == 64)
        let fromEnv = try Configuration.load(flags: [:], configFlag: file, environment: ["ATENDE_PORT": "9100"], installed: false)
        #expect(fromEnv.port == 9100 && fromEnv.host == "0.0.0.0")
        let fromFlag = try Configuration.load(flags: ["--port": "9200"], configFlag: file, environment: ["ATENDE_PORT": "9100"], installed: false)
        #expect(fromFlag.port == 9200)
    }

    @Test func embeddedSignupsAppAndLoginConfigurationComeFromTheFileOrTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("atende.toml")
        try "whatsapp_app_id = \"1234567890123\"\nwhatsapp_login_config_id = 9876543210\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try Configuration.load(flags: [:], configFlag: file, environment: [:], installed: false)
        #expect(fromFile.whatsappAppID == "1234567890123" && fromFile.whatsappLoginConfigID == "9876543210")
        let fromEnv = try Configuration.load(flags: [:], configFlag: file, environment: ["ATENDE_WHATSAPP_APP_ID": "42"], installed: false)
        #expect(fromEnv.whatsappAppID == "42")
        let unset = try Configuration.load(flags: [:], configFlag: nil, environment: [:], installed: false)
        #expect(unset.whatsappAppID == nil && unset.whatsappLoginConfigID == nil)
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(flags: [:], configFlag: nil, environment: ["ATENDE_WHATSAPP_LOGIN_CONFIG_ID": "abc"], installed: false)
        }
    }

    @Test func googlesBaseURLsDefaultToGoogleAndComeFromFlagsTheEnvironmentOrTheFile() throws {
        let defaults = try Configuration.load(flags: [:], configFlag: nil, environment: [:], installed: false)
        #expect(defaults.googleAuthURL == "https://accounts.google.com" && defaults.googleOAuthURL == "https://oauth2.googleapis.com")
        #expect(defaults.googleCalendarURL == "https://www.googleapis.com/calendar/v3")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("atende.toml")
        try "google_calendar_url = \"http://127.0.0.1:9000/calendar/v3/\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let config = try Configuration.load(flags: ["--google-oauth-url": "http://127.0.0.1:9000"], configFlag: file,
                                            environment: ["ATENDE_GOOGLE_AUTH_URL": "http://127.0.0.1:9001"], installed: false)
        #expect(config.googleCalendarURL == "http://127.0.0.1:9000/calendar/v3")
        #expect(config.googleOAuthURL == "http://127.0.0.1:9000" && config.googleAuthURL == "http://127.0.0.1:9001")
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(flags: ["--google-calendar-url": "ftp://example.com"], configFlag: nil, environment: [:], installed: false)
        }
    }

    @Test func aSystemdCredentialIsTheMasterKeyUnlessOneIsNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = FileManager.default.createFile(atPath: directory.appending("master.key"), contents: Data(count: 32))
        let env = ["CREDENTIALS_DIRECTORY": directory.path]
        #expect(try Configuration.load(flags: [:], configFlag: nil, environment: env, installed: true).masterKeyFile
                == directory.appending("master.key"))
        #expect(try Configuration.load(flags: ["--master-key": "/elsewhere/k"], configFlag: nil, environment: env, installed: true).masterKeyFile
                == "/elsewhere/k")
    }

    @Test(arguments: [
        ("port = 70000\n", "port"),
        ("port = \"eighty\"\n", "port"),
        ("colour = \"blue\"\n", "colour"),
        ("port = 80\nport = 81\n", "twice"),
        ("host = \"unterminated\n", "unterminated"),
        ("[[array]]\n", "section"),
        ("log_level = \"loud\"\n", "log_level"),
        ("public_url = \"ftp://x\"\n", "public_url"),
    ])
    func aBadConfigFileIsRefusedNamingTheProblem(text: String, mentions: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("atende.toml")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try Configuration.load(flags: [:], configFlag: file, environment: [:], installed: false)
        } throws: { "\($0)".contains(mentions) }
    }

    @Test func aMasterKeyInsideTheDataDirectoryIsRefused() {
        #expect {
            _ = try Configuration.load(flags: ["--data": "/tmp/d", "--master-key": "/tmp/d/master.key"],
                                       configFlag: nil, environment: [:], installed: false)
        } throws: { "\($0)".contains("outside the data directory") }
    }

    @Test func aMissingConfigFileNamedExplicitlyIsAnError() {
        #expect(throws: ConfigurationError.self) {
            _ = try Configuration.load(flags: [:], configFlag: "/nonexistent/atende.toml", environment: [:], installed: false)
        }
    }
}

/// `knowledge_dense_weight`: a decimal in the file, a number in the environment, 0 to 1.
@Suite struct KnowledgeConfigurationTests {
    @Test func theDenseWeightComesFromTheFileOrTheEnvironmentAndDefaultsToTheTunedValue() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try Configuration.load(flags: [:], configFlag: nil, environment: [:], installed: false).knowledgeDenseWeight == 0.4)
        let file = directory.appending("atende.toml")
        try "knowledge_dense_weight = 0.25\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Configuration.load(flags: [:], configFlag: file, environment: [:], installed: false).knowledgeDenseWeight == 0.25)
        let fromEnv = try Configuration.load(flags: [:], configFlag: file, environment: ["ATENDE_KNOWLEDGE_DENSE_WEIGHT": "1"], installed: false)
        #expect(fromEnv.knowledgeDenseWeight == 1)
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(flags: [:], configFlag: nil, environment: ["ATENDE_KNOWLEDGE_DENSE_WEIGHT": "1.5"], installed: false)
        }
    }
}

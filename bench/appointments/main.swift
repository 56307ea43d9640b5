// Free-slot search over a busy calendar: 10 staff × 60 days × 2,000 booked appointments, through
// Desk's public interface over a real LMDB store (release builds only):
//
//     swift build -c release --scratch-path .build-release --product AppointmentsBench
//     .build-release/release/AppointmentsBench [--staff 10] [--days 60] [--appointments 2000] [--queries 2000]
//
// The calendar: every staff member works Monday–Saturday 08:00–12:00 and 13:00–19:00 in São
// Paulo, a 30-minute service with 10 minutes of buffer performed by all of them, 15-minute grid,
// no notice, a 60-day horizon; the appointments are booked one by one with `Appointments.book`
// at random free times (so they never overlap, as in life). Then, on the same store:
//
//   api day     `Appointments.slots` for one random day, every staff member (what the booking
//               dialogue asks for "amanhã à tarde"): store read + search;
//   api 60 d    `Appointments.slots` from a random instant to the horizon, 500 slots (the API's
//               largest page): store read + search;
//   pure 60 d   `SlotSearch.free` over the whole 60 days for all 10 staff, every free slot (no
//               limit), from schedules read once — the computation alone;
//   brute 60 d  the same answer from the brute-force oracle of Tests/DeskTests/SlotSearchTests
//               (every minute, every staff member, every appointment checked): the baseline.
//
// Prints the CPU, then p50/p90/p99/max per case (wall clock, and the thread's CPU time, which is
// what the search itself costs on a shared machine) and checks pure == brute on every query.
import AtendeTesting
import Assistant
import Channels
import Desk
import Foundation
import Histogram
import Storage

struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {  // SplitMix64: a fixed seed gives the same calendar every run
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Not a password hasher for production: the bench signs nobody in.
struct PlainHasher: PasswordHasher {
    func hash(_ password: String) async throws -> String { "bench:\(password.count)" }
    func verify(_ password: String, against hash: String) async throws -> Bool { false }
}

func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: "--\(name)"), index + 1 < CommandLine.arguments.count,
          let value = Int(CommandLine.arguments[index + 1]), value > 0 else { return fallback }
    return value
}

func cpuModel() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let names = info.split(separator: "\n").filter { $0.hasPrefix("model name") }
    let name = names.first.map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "?"
    return "\(name) × \(names.count) logical CPUs"
}

func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Wall and CPU histograms of one case, in nanoseconds.
struct Timings {
    let name: String
    var wall = Histogram<UInt64>(highestTrackableValue: 600_000_000_000, numberOfSignificantValueDigits: .three)
    var cpu = Histogram<UInt64>(highestTrackableValue: 600_000_000_000, numberOfSignificantValueDigits: .three)
    var results = 0

    init(_ name: String) { self.name = name }

    mutating func measure<R>(_ body: () throws -> R) rethrows -> R {
        let (wallStart, cpuStart) = (DispatchTime.now().uptimeNanoseconds, threadCPUNanoseconds())
        let result = try body()
        _ = cpu.record(threadCPUNanoseconds() - cpuStart)
        _ = wall.record(DispatchTime.now().uptimeNanoseconds - wallStart)
        return result
    }

    func row() -> String {
        func ms(_ h: Histogram<UInt64>, _ p: Double) -> String { String(format: "%8.3f", Double(h.valueAtPercentile(p)) / 1e6) }
        return "\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%6d", wall.totalCount))  wall "
            + "\(ms(wall, 50)) \(ms(wall, 90)) \(ms(wall, 99)) \(ms(wall, 100))   cpu \(ms(cpu, 50)) \(ms(cpu, 99))   "
            + "\(results / max(1, Int(wall.totalCount))) slots/query"
    }
}

@main
struct AppointmentsBench {
    static func main() async throws {
        let (staffCount, days, appointmentCount, queries) = (option("staff", 10), option("days", 60), option("appointments", 2000), option("queries", 2000))
        print("AppointmentsBench: \(staffCount) staff × \(days) days × \(appointmentCount) appointments, \(queries) queries per case")
        print("CPU: \(cpuModel())")
        var random = Generator(state: 12_345)

        let directory = try TemporaryDirectory("atende-bench-appointments")
        defer { directory.remove() }
        let store = try Store(directory: directory.appending("data"), schema: Schema(version: Desk.schemaVersion, databases: [Vault.database] + Desk.databases),
                              logger: .quiet)
        defer { store.close() }
        let vault = try await Vault.open(store: store, masterKey: try MasterKey.load(from: .file(directory.appending("master.key")), createIfMissing: true))
        // Monday 2026-01-05 06:00 in São Paulo: the horizon starts on a working day.
        let clock = ManualDeskClock(Date(timeIntervalSince1970: 1_767_603_600))
        let desk = Desk(store: store, hasher: PlainHasher(), clock: clock, vault: vault, logger: .quiet)

        // The business: its owner, the staff, their week, one service, the rules.
        let owner = try await desk.completeSetup(token: try await desk.beginSetup()!, name: "Owner", email: "owner@example.com",
                                                 password: "correct horse battery staple", ip: nil)
        let admin = Requester(actor: AuditActor(id: owner.staff.id.description, name: owner.staff.name), role: .admin, staffID: owner.staff.id, ip: nil)
        var staffIDs = [owner.staff.id.description]
        for n in 1..<staffCount {
            let member = try await desk.createStaff(name: "Staff \(n)", email: "staff\(n)@example.com", role: "agent",
                                                    password: "correct horse battery staple \(n)", by: admin)
            staffIDs.append(member.id.description)
        }
        let week = BusinessHours(days: (2...7).map { .init(weekday: $0, intervals: [BusinessHours.Interval(8, to: 12), BusinessHours.Interval(13, to: 19)]) })
        for staffID in staffIDs { _ = try await desk.appointments.setAvailability(staffID, hours: week, timeOff: [], by: admin) }
        var setup = try desk.appointments.setup()
        (setup.minimumNoticeMinutes, setup.maximumDaysAhead, setup.granularityMinutes, setup.reminderHours) = (0, days, 15, [])
        _ = try await desk.appointments.update(setup, by: admin)
        let service = try await desk.appointments.createService(
            ServiceInput(name: "Consulta", durationMinutes: 30, priceCents: 15_000, bufferAfterMinutes: 10, staffIDs: staffIDs), by: admin)

        // 200 customers, each with a WhatsApp conversation to book into.
        _ = try await desk.channels.create(ChannelInput(name: "Front desk", phoneNumberID: "106540352242922", wabaID: "102290129340398",
                                                        secrets: [.accessToken: "bench", .appSecret: "bench", .verifyToken: "bench"]), by: admin)
        for n in 0..<200 {
            let from = "5511900\(String(format: "%06d", n))"
            let body = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Cliente \#(n)"},"wa_id":"\#(from)"}],"messages":[{"from":"\#(from)","id":"wamid.BENCH.\#(n)","timestamp":"\#(Int(clock.now.timeIntervalSince1970))","type":"text","text":{"body":"quero marcar"}}]}}]}]}"#
            _ = try await desk.inbox.ingest(try WhatsAppWebhook(parsing: Array(body.utf8)), rawBody: Array(body.utf8))
        }
        var conversations: [DocumentID] = []
        var cursor: String?
        repeat {
            let page = try desk.inbox.conversations(.all, search: nil, page: try PageRequest(cursor: cursor, limit: 100), for: admin)
            conversations += page.items.map(\.conversation.id)
            cursor = page.nextCursor
        } while cursor != nil
        print("calendar: \(staffIDs.count) staff, \(conversations.count) conversations, zone \(try desk.attendant.settings().timeZone)")

        // The appointments: each at a random free time of a random day and staff member.
        let start = clock.now, horizon = clock.now.addingTimeInterval(Double(days) * 86_400)
        var booked = 0, bookStart = DispatchTime.now().uptimeNanoseconds
        while booked < appointmentCount {
            let day = start.addingTimeInterval(Double(Int.random(in: 0..<days, using: &random)) * 86_400)
            let staffID = staffIDs.randomElement(using: &random)!
            let free = try desk.appointments.slots(service: service.id, staff: staffID, from: day, to: min(horizon, day.addingTimeInterval(86_400)), limit: 100)
            guard let slot = free.randomElement(using: &random) else { continue }
            _ = try await desk.appointments.book(BookingRequest(serviceID: service.id, staffID: staffID, start: slot.start,
                                                                conversationID: conversations.randomElement(using: &random)!), by: admin)
            booked += 1
        }
        let stored = try desk.appointments.list(from: start, to: horizon, for: admin)
        print("booked \(stored.count) appointments in \(String(format: "%.1f", Double(DispatchTime.now().uptimeNanoseconds - bookStart) / 1e9)) s")
        bookStart = 0

        // The schedules as the slot search reads them (the pure and brute-force cases).
        let busyByStaff = Dictionary(grouping: stored.map(\.appointment), by: \.staffID).mapValues { $0.map(\.held) }
        let schedules = staffIDs.map { StaffSchedule(staffID: $0, hours: week, busy: busyByStaff[$0] ?? []) }
        let zone = TimeZone(identifier: try desk.attendant.settings().timeZone)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone

        var apiDay = Timings("api day"), api60 = Timings("api 60 d"), pure = Timings("pure 60 d"), brute = Timings("brute 60 d")
        for _ in 0..<queries {
            let day = calendar.startOfDay(for: start.addingTimeInterval(Double(Int.random(in: 0..<days, using: &random)) * 86_400))
            apiDay.results += try apiDay.measure { try desk.appointments.slots(service: service.id, from: day, to: day.addingTimeInterval(86_400), limit: 500) }.count
            let from = start.addingTimeInterval(Double(Int.random(in: 0..<(days * 24 * 60), using: &random)) * 60)
            api60.results += try api60.measure { try desk.appointments.slots(service: service.id, from: from, to: horizon, limit: 500) }.count
        }
        let query = SlotQuery(duration: 30, bufferAfter: 10, staff: schedules, zone: zone, now: start, maximumDaysAhead: days, granularity: 15)
        var reference: [Slot] = []
        for _ in 0..<max(1, queries / 10) { reference = pure.measure { SlotSearch.free(query, from: start, to: horizon) }; pure.results += reference.count }
        for _ in 0..<3 {
            let answer = brute.measure { bruteForce(query, from: start, to: horizon, calendar: calendar) }
            brute.results += answer.count
            guard Set(answer) == Set(reference), answer.count == reference.count else {
                print("MISMATCH: the slot search and the brute-force oracle disagree (\(reference.count) vs \(answer.count) slots)")
                exit(1)
            }
        }
        print("\ncase          runs   wall ms   p50      p90      p99      max     cpu ms p50    p99")
        for timings in [apiDay, api60, pure, brute] { print(timings.row()) }
        let ratio = Double(brute.cpu.valueAtPercentile(50)) / Double(max(1, pure.cpu.valueAtPercentile(50)))
        print(String(format: "\nthe slot search vs the brute-force oracle (same answer, CPU p50): %.0f× faster", ratio))
    }

    /// Every minute from `from` to `to`, every staff member, every rule checked directly (the
    /// property tests' oracle).
    static func bruteForce(_ q: SlotQuery, from: Date, to: Date, calendar: Calendar) -> [Slot] {
        var slots: [Slot] = []
        var t = from
        while t < to {
            defer { t = t.addingTimeInterval(60) }
            guard t >= q.now.addingTimeInterval(q.minimumNotice), t < q.now.addingTimeInterval(Double(q.maximumDaysAhead) * 86_400) else { continue }
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
            let minute = parts.hour! * 60 + parts.minute!
            guard minute % q.granularity == 0 else { continue }
            let date = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            guard !q.holidays.contains(date) else { continue }
            let end = t.addingTimeInterval(Double(q.duration) * 60)
            let held = (t, end.addingTimeInterval(Double(q.bufferAfter) * 60))
            for s in q.staff where !s.hours.holidays.contains(date) {
                let intervals = s.hours.days.first { $0.weekday == parts.weekday }?.intervals ?? []
                guard intervals.contains(where: { $0.start <= minute && minute + q.duration <= $0.end }) else { continue }
                let clash = (s.busy + s.timeOff).contains { $0.duration > 0 && $0.start < held.1 && held.0 < $0.end }
                if !clash { slots.append(Slot(start: t, end: end, staffID: s.staffID)) }
            }
        }
        return slots
    }
}

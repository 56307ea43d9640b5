import Desk
import Testing

@Suite struct StaffTests {
    @Test func twoStaffMembersCannotShareAnEmailInAnyCase() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let error = await expectDeskError(.emailTaken) {
                _ = try await desk.createStaff(name: "Other", email: "OWNER@example.com", role: "agent",
                                               password: strongPassword, by: .commandLine)
            }
            #expect(error?.field == "email")
        }
    }

    @Test func theLastEnabledAdminCannotBeDemotedOrDisabled() async throws {
        try await withDesk { desk, _ in
            let owner = try await desk.makeOwner()
            await expectDeskError(.lastAdmin) { _ = try await desk.updateStaff(owner.staff.id, role: "manager", by: .commandLine) }
            await expectDeskError(.lastAdmin) { _ = try await desk.updateStaff(owner.staff.id, disabled: true, by: .commandLine) }
            _ = try await desk.createStaff(name: "Second", email: "second@example.com", role: "admin",
                                           password: strongPassword, by: .commandLine)
            let demoted = try await desk.updateStaff(owner.staff.id, role: "manager", by: .commandLine)
            #expect(demoted.role == .manager)
        }
    }

    @Test func onlyAnAdminMayManageStaff() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let manager = Requester(actor: AuditActor(id: "m", name: "M"), role: .manager, staffID: nil, ip: nil)
            await expectDeskError(.forbidden) {
                _ = try await desk.createStaff(name: "X", email: "x@example.com", role: "agent", password: strongPassword, by: manager)
            }
        }
    }

    @Test(arguments: [("name", ""), ("email", "not-an-email"), ("email", "a@b"), ("role", "owner")])
    func invalidFieldsAreNamed(_ field: String, _ value: String) async throws {
        try await withDesk { desk, _ in
            let error = await expectDeskError(.invalidField) {
                _ = try await desk.createStaff(name: field == "name" ? value : "Ana",
                                               email: field == "email" ? value : "ana@example.com",
                                               role: field == "role" ? value : "agent",
                                               password: strongPassword, by: .commandLine)
            }
            #expect(error?.field == field)
        }
    }

    @Test func theRoleMatrixIsSeed003() {
        #expect(Role.admin.permissions == Permissions(dashboard: .full, chats: .full, assistant: .full, campaigns: .full, settings: .full))
        #expect(Role.manager.permissions == Permissions(dashboard: .full, chats: .full, assistant: .full, campaigns: .full, settings: .view))
        #expect(Role.operator.permissions == Permissions(dashboard: .view, chats: .full, assistant: .view, campaigns: .view, settings: .none))
        #expect(Role.agent.permissions == Permissions(dashboard: .view, chats: .assigned, assistant: .none, campaigns: .none, settings: .none))
        #expect(!Role.agent.permissions.allows(.assistant, .none))   // none never grants anything
        #expect(Role.agent.permissions.allows(.chats, .assigned))
        #expect(!Role.agent.permissions.allows(.chats, .view))
    }
}

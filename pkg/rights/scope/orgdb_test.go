package scope_test

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// orgTables are the tables an organisation fills, children first, so that clearing them in
// this order never trips a foreign key.
var orgTables = []string{
	"activity_participants", "activities", "travel_reimbursements", "invoice_rows", "work_hours",
	"invoices", "files", "phases", "case_members", "cases", "addresses", "contacts", "accounts",
	"user_right_overrides", "api_keys", "users", "profiles", "business_units", "invoice_statuses",
	"settings",
}

// load replaces whatever organisation db holds with o, in one transaction.
func (o *testOrg) load(ctx context.Context, db *bun.DB) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, t := range orgTables {
			if _, err := tx.NewDelete().TableExpr(t).Where("1 = 1").Exec(ctx); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		return o.insert(ctx, tx)
	})
}

var epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func (o *testOrg) insert(ctx context.Context, db bun.IDB) error {
	order := rights.StatusOrder(o.Statuses)
	rows := []any{
		&[]model.Settings{{ID: 1, OrganizationName: "Random", Currency: "EUR", WorkHourApproval: o.Approval,
			TravelEnabled: o.Travel, TempPasswordHours: 72, Version: 1, UpdatedAt: epoch}},
	}
	var statuses []model.InvoiceStatus
	for i, id := range o.Statuses {
		statuses = append(statuses, model.InvoiceStatus{ID: id, Name: fmt.Sprintf("Status %d", i), Position: i, Active: true})
	}
	var units []model.BusinessUnit
	for _, u := range o.Units {
		units = append(units, model.BusinessUnit{ID: u.ID, Name: fmt.Sprintf("Unit %d", u.ID), ParentID: ref(u.Parent),
			Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	var profiles []model.Profile
	for _, p := range o.Profiles {
		mp := model.Profile{ID: p.ID, Name: fmt.Sprintf("Profile %d", p.ID), Version: 1, CreatedAt: epoch, UpdatedAt: epoch}
		if err := access.SetProfileRights(&mp, p.Rights, order); err != nil {
			return err
		}
		profiles = append(profiles, mp)
	}
	var users []model.User
	var overrides []model.RightOverride
	for _, u := range o.Users {
		users = append(users, o.modelUser(u))
		for name, v := range u.Overrides {
			overrides = append(overrides, model.RightOverride{UserID: u.ID, RightName: name, Value: v})
		}
	}
	rows = append(rows, &statuses, &units, &profiles, &users, &overrides)
	rows = append(rows, o.accountRows()...)
	rows = append(rows, o.caseRows()...)
	rows = append(rows, o.workRows()...)
	for _, r := range rows {
		if isEmpty(r) {
			continue
		}
		if _, err := db.NewInsert().Model(r).Exec(ctx); err != nil {
			return fmt.Errorf("insert %T: %w", r, err)
		}
	}
	return nil
}

func (o *testOrg) modelUser(u userRow) model.User {
	return model.User{ID: u.ID, Email: fmt.Sprintf("user%d@example.com", u.ID), Name: fmt.Sprintf("User %d", u.ID),
		PasswordHash: "-", UnitID: u.Unit, SupervisorID: ref(u.Supervisor), ProfileID: u.Profile, Active: true,
		Version: 1, CreatedAt: epoch, UpdatedAt: epoch}
}

func (o *testOrg) accountRows() []any {
	var accounts []model.Account
	for _, id := range o.Accounts {
		accounts = append(accounts, model.Account{ID: id, Name: fmt.Sprintf("Account %d", id), Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	var contacts []model.Contact
	for _, c := range o.Contacts {
		contacts = append(contacts, model.Contact{ID: c.ID, AccountID: c.Parent, FirstName: "C", LastName: fmt.Sprint(c.ID),
			Email: fmt.Sprintf("c%d@example.com", c.ID), Active: true, Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	var addresses []model.Address
	for _, a := range o.Addresses {
		addresses = append(addresses, model.Address{ID: a.ID, AccountID: a.Parent, Kind: "visiting", Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	return []any{&accounts, &contacts, &addresses}
}

func (o *testOrg) caseRows() []any {
	var cases []model.Case
	var members []model.CaseMember
	for _, c := range o.Cases {
		cases = append(cases, model.Case{ID: c.ID, AccountID: c.Account, OwnerID: c.Owner, UnitID: c.Unit,
			Name: fmt.Sprintf("Case %d", c.ID), Status: "open", Probability: 100, Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
		for _, m := range c.Members {
			members = append(members, model.CaseMember{CaseID: c.ID, UserID: m, CreatedAt: epoch})
		}
	}
	var phases []model.Phase
	for _, p := range o.Phases {
		phases = append(phases, model.Phase{ID: p.ID, CaseID: p.Parent, Name: fmt.Sprintf("Phase %d", p.ID), Status: "open",
			ApprovalStatus: "pending", Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	var files []model.File
	for _, f := range o.Files {
		files = append(files, model.File{ID: f.ID, CaseID: f.Parent, Kind: "link", Name: fmt.Sprintf("Link %d", f.ID),
			URL: "https://example.com/", CreatedAt: epoch})
	}
	return []any{&cases, &members, &phases, &files}
}

func (o *testOrg) workRows() []any {
	var invoices []model.Invoice
	for _, i := range o.Invoices {
		invoices = append(invoices, model.Invoice{ID: i.ID, CaseID: i.Case, Number: fmt.Sprintf("INV-%d", i.ID), StatusID: i.Status,
			Total: 10000, Currency: "EUR", Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	var hours []model.WorkHour
	for _, h := range o.Hours {
		hours = append(hours, model.WorkHour{ID: h.ID, CaseID: h.Case, UserID: h.User, WorkDate: model.DateOf(epoch), Minutes: 60,
			Billable: true, UnitPrice: 10000, UnitCost: 5000, ApprovalStatus: "pending", Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	var travels []model.TravelReimbursement
	for _, t := range o.Travels {
		travels = append(travels, model.TravelReimbursement{ID: t.ID, UserID: t.User, CaseID: ref(t.Case), TravelDate: model.DateOf(epoch),
			Amount: 2500, Status: "pending", Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
	}
	var activities []model.Activity
	var participants []model.ActivityParticipant
	for _, a := range o.Activities {
		activities = append(activities, model.Activity{ID: a.ID, OwnerID: a.Owner, Category: a.Category.String(),
			Name: fmt.Sprintf("Activity %d", a.ID), StartsAt: epoch, EndsAt: epoch.Add(time.Hour),
			CaseID: ref(a.Case), AccountID: ref(a.Account), Version: 1, CreatedAt: epoch, UpdatedAt: epoch})
		for _, p := range a.Participants {
			participants = append(participants, model.ActivityParticipant{ActivityID: a.ID, UserID: p})
		}
	}
	return []any{&invoices, &hours, &travels, &activities, &participants}
}

// ref returns a pointer to id, or nil for 0 (no reference).
func ref(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// isEmpty reports whether r points to an empty slice: bun refuses to insert none.
func isEmpty(r any) bool { return reflect.ValueOf(r).Elem().Len() == 0 }

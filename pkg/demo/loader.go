package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
)

type loader struct {
	tx   bun.Tx
	now  time.Time
	unit map[string]int64
	user map[string]int64
}

func (l *loader) insert(ctx context.Context, what string, m any) error {
	if _, err := l.tx.NewInsert().Model(m).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("insert %s: %w", what, err)
	}
	return nil
}

func (l *loader) load(ctx context.Context, hash string) error {
	for _, u := range units {
		bu := &model.BusinessUnit{Name: u.name, Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
		if u.parent != "" {
			p := l.unit[u.parent]
			bu.ParentID = &p
		}
		if err := l.insert(ctx, "unit "+u.key, bu); err != nil {
			return err
		}
		l.unit[u.key] = bu.ID
	}
	profiles := map[string]int64{}
	var ps []model.Profile
	if err := l.tx.NewSelect().Model(&ps).Scan(ctx); err != nil {
		return fmt.Errorf("load profiles: %w", err)
	}
	for _, p := range ps {
		if p.Key != nil {
			profiles[*p.Key] = p.ID
		}
	}
	for _, u := range users {
		m := &model.User{Email: u.key + "@northwind.example", Name: u.name, PasswordHash: hash,
			UnitID: l.unit[u.unit], ProfileID: profiles[u.profile], Active: true,
			HourlyPrice: u.price, HourlyCost: u.cost, Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
		if u.supervisor != "" {
			s := l.user[u.supervisor]
			m.SupervisorID = &s
		}
		if m.ProfileID == 0 {
			return fmt.Errorf("demo user %s: no profile %q", u.key, u.profile)
		}
		if err := l.insert(ctx, "user "+u.key, m); err != nil {
			return err
		}
		l.user[u.key] = m.ID
	}
	return l.loadCustomers(ctx)
}

type caseSpec struct {
	name, account, owner, unit string
	members                    []string
	phases                     []string
	forecast                   int64
}

var accounts = []struct {
	key, name string
	contacts  [][3]string // first, last, email
}{
	{"acme", "Acme Oy", [][3]string{{"Aino", "Virtanen", "aino.virtanen@acme.example"}, {"Mikko", "Laine", "mikko.laine@acme.example"}}},
	{"globex", "Globex AB", [][3]string{{"Sven", "Berg", "sven.berg@globex.example"}, {"Nora", "Lind", ""}}},
	{"initech", "Initech GmbH", [][3]string{{"Peter", "Gibbons", "peter.gibbons@initech.example"}}},
}

var cases = []caseSpec{
	{"Acme strategy review", "acme", "carl", "consulting", []string{"erik", "fay"}, []string{"Discovery", "Recommendations"}, 4500000},
	{"Acme platform migration", "acme", "hana", "platform", []string{"ivan", "kim"}, []string{"Assessment", "Migration", "Handover"}, 12000000},
	{"Globex pricing study", "globex", "erik", "strategy", []string{"lea"}, []string{"Analysis"}, 1800000},
	{"Initech integration", "initech", "dina", "engineering", []string{"jon", "ivan"}, []string{"Design", "Build"}, 7500000},
}

func (l *loader) loadCustomers(ctx context.Context) error {
	accountIDs := map[string]int64{}
	for _, a := range accounts {
		acc := &model.Account{Name: a.name, Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
		if err := l.insert(ctx, "account "+a.key, acc); err != nil {
			return err
		}
		accountIDs[a.key] = acc.ID
		addr := &model.Address{AccountID: acc.ID, Kind: "visiting", Street: "Main Street 1", City: "Helsinki",
			Country: "FI", Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
		if err := l.insert(ctx, "address", addr); err != nil {
			return err
		}
		for _, c := range a.contacts {
			ct := &model.Contact{AccountID: acc.ID, FirstName: c[0], LastName: c[1], Email: c[2], Active: true,
				Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
			if err := l.insert(ctx, "contact", ct); err != nil {
				return err
			}
		}
	}
	var draft, sent model.InvoiceStatus
	if err := l.tx.NewSelect().Model(&draft).Where("position = 1").Scan(ctx); err != nil {
		return fmt.Errorf("load draft status: %w", err)
	}
	if err := l.tx.NewSelect().Model(&sent).Where("position = 2").Scan(ctx); err != nil {
		return fmt.Errorf("load sent status: %w", err)
	}
	for i, c := range cases {
		if err := l.loadCase(ctx, i, c, accountIDs[c.account], []int64{draft.ID, sent.ID}); err != nil {
			return err
		}
	}
	return l.loadCalendar(ctx)
}

// loadCalendar adds a private appointment (with a participant) and an absence, so that the
// calendar's masking shows: "Private" for everyone else (ACT-5), "Out of office" for
// colleagues who do not manage the person (ACT-4).
func (l *loader) loadCalendar(ctx context.Context) error {
	day := l.now.Truncate(24*time.Hour).AddDate(0, 0, 3)
	dentist := &model.Activity{OwnerID: l.user["erik"], Category: "personal", Name: "Dentist", Description: "Check-up",
		StartsAt: day.Add(8 * time.Hour), EndsAt: day.Add(9 * time.Hour), Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
	if err := l.insert(ctx, "activity", dentist); err != nil {
		return err
	}
	if err := l.insert(ctx, "participant", &model.ActivityParticipant{ActivityID: dentist.ID, UserID: l.user["lea"]}); err != nil {
		return err
	}
	vacation := &model.Activity{OwnerID: l.user["kim"], Category: "out_of_office", Name: "Vacation", Description: "Lapland",
		StartsAt: day, EndsAt: day.AddDate(0, 0, 5), Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
	return l.insert(ctx, "activity", vacation)
}

func (l *loader) loadCase(ctx context.Context, i int, c caseSpec, accountID int64, statuses []int64) error {
	start := model.DateOf(l.now.AddDate(0, -2, 0))
	cs := &model.Case{AccountID: accountID, OwnerID: l.user[c.owner], UnitID: l.unit[c.unit], Name: c.name,
		Status: "open", BillingForecast: c.forecast, ExpenseForecast: c.forecast / 2, ExpectedValue: c.forecast,
		Probability: 100, StartsOn: start, Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
	if err := l.insert(ctx, "case", cs); err != nil {
		return err
	}
	for _, m := range append([]string{c.owner}, c.members...) {
		if err := l.insert(ctx, "member", &model.CaseMember{CaseID: cs.ID, UserID: l.user[m], CreatedAt: l.now}); err != nil {
			return err
		}
	}
	var phaseIDs []int64
	for _, p := range c.phases {
		ph := &model.Phase{CaseID: cs.ID, Name: p, Status: "open", ApprovalStatus: "pending", Version: 1,
			CreatedAt: l.now, UpdatedAt: l.now}
		if err := l.insert(ctx, "phase", ph); err != nil {
			return err
		}
		phaseIDs = append(phaseIDs, ph.ID)
	}
	inv := &model.Invoice{CaseID: cs.ID, Number: fmt.Sprintf("2026-%04d", i+1), StatusID: statuses[i%2],
		IssueDate: model.DateOf(l.now.AddDate(0, 0, -14)), DueDate: model.DateOf(l.now.AddDate(0, 0, 7)),
		Currency: "EUR", Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
	if err := l.insert(ctx, "invoice", inv); err != nil {
		return err
	}
	var total int64
	for d, m := range append([]string{c.owner}, c.members...) {
		for day := 0; day < 3; day++ {
			var u model.User
			if err := l.tx.NewSelect().Model(&u).Where("id = ?", l.user[m]).Scan(ctx); err != nil {
				return fmt.Errorf("load user: %w", err)
			}
			ph := phaseIDs[day%len(phaseIDs)]
			h := &model.WorkHour{CaseID: cs.ID, PhaseID: &ph, UserID: u.ID,
				WorkDate: model.DateOf(l.now.AddDate(0, 0, -(day*7 + d))), Minutes: 240 + 60*day,
				Description: "Work on " + c.name, Billable: true, UnitPrice: u.HourlyPrice, UnitCost: u.HourlyCost,
				ApprovalStatus: "pending", Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
			if day == 2 {
				h.InvoiceID = &inv.ID
				h.ApprovalStatus = "approved"
				total += h.Price()
			}
			if err := l.insert(ctx, "work hour", h); err != nil {
				return err
			}
			if day == 2 {
				row := &model.InvoiceRow{InvoiceID: inv.ID, WorkHourID: &h.ID, Description: h.Description,
					QuantityMinutes: h.Minutes, UnitPrice: h.UnitPrice, Total: h.Price()}
				if err := l.insert(ctx, "invoice row", row); err != nil {
					return err
				}
			}
		}
	}
	if _, err := l.tx.NewUpdate().Model(inv).Set("total = ?", total).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("invoice total: %w", err)
	}
	tr := &model.TravelReimbursement{UserID: l.user[c.owner], CaseID: &cs.ID, TravelDate: start,
		Description: "Train to customer site", Amount: 8900, Status: "pending", Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
	if err := l.insert(ctx, "travel", tr); err != nil {
		return err
	}
	act := &model.Activity{OwnerID: l.user[c.owner], Category: "work", Name: "Kick-off: " + c.name,
		StartsAt: l.now.Add(48 * time.Hour), EndsAt: l.now.Add(50 * time.Hour), CaseID: &cs.ID, AccountID: &accountID,
		Version: 1, CreatedAt: l.now, UpdatedAt: l.now}
	return l.insert(ctx, "activity", act)
}

package work_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/work"
)

// rules EXT-2, EXT-3, WHA-8: what waits for a contact's decision is the pending entries that
// are not invoiced, on cases where they may approve; counted for all their cases in one
// query, listed a page at a time, and totalled per phase and per person in the database.
func TestWaitingHoursOfAContact(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	ctx := context.Background()
	who := domaintest.Share(t, env.DB, strategy, domaintest.Sections{Other: true, Phases: true},
		map[string]domaintest.Rights{aino: {Approve: true}, "mikko.laine@acme.example": {}})
	approver, viewer := who[aino], who["mikko.laine@acme.example"]
	var caseID int64
	mustOK(t, env.DB.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", strategy).Scan(ctx, &caseID))

	t.Run("counts: the demo's six pending entries not yet invoiced", func(t *testing.T) {
		counts, err := svc.WaitingCounts(ctx, approver)
		mustOK(t, err)
		if len(counts) != 1 || counts[caseID] != 6 {
			t.Fatalf("counts %v", counts)
		}
		counts, err = svc.WaitingCounts(ctx, viewer)
		mustOK(t, err)
		if len(counts) != 0 {
			t.Fatalf("rule EXT-2: counts without the Approve right: %v", counts)
		}
	})
	t.Run("a page of them, in date order, and all their versions", func(t *testing.T) {
		rows, n, err := svc.WaitingHours(ctx, approver, caseID, domain.Window{Offset: 4, Limit: 10})
		mustOK(t, err)
		if n != 6 || len(rows) != 2 || rows[0].WorkDate > rows[1].WorkDate || rows[0].InvoiceID != nil {
			t.Fatalf("%d of %d: %+v", len(rows), n, rows)
		}
		all, err := svc.WaitingVersions(ctx, approver, caseID)
		mustOK(t, err)
		if len(all) != 6 || all[5].ID != rows[1].ID || all[5].Version != rows[1].Version {
			t.Fatalf("versions %v", all)
		}
	})
	t.Run("rule EXT-2: without the Approve right, 403; rule EXT-8: an employee, 404", func(t *testing.T) {
		_, _, err := svc.WaitingHours(ctx, viewer, caseID, domain.Window{Limit: 10})
		mustCode(t, err, apperr.Forbidden)
		_, err = svc.WaitingVersions(ctx, domaintest.Employee(t, env.DB, "carl"), caseID)
		mustCode(t, err, apperr.NotFound)
	})
	t.Run("totals per phase and per person", func(t *testing.T) {
		tot, err := svc.CaseHourTotals(ctx, viewer, caseID)
		mustOK(t, err)
		if len(tot.ByPhase) != 2 || len(tot.ByPerson) != 3 || tot.All.Entries != 9 || tot.All.Minutes != 2700 ||
			tot.All.ApprovedMinutes != 1080 || tot.Prices || tot.All.Price != 0 {
			t.Fatalf("totals %+v", tot)
		}
		for _, p := range tot.ByPerson {
			if p.Minutes != 900 || p.Entries != 3 {
				t.Fatalf("person %+v", p)
			}
		}
	})
}

// rules EXT-3, EXT-8: a share of the Other section without Phases totals the hours per
// person only; the phases' names and how the hours fall into them are not answered.
func TestHourTotalsWithoutPhases(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	ctx := context.Background()
	who := domaintest.Contact(t, env.DB, aino, strategy, domaintest.Sections{Other: true}, domaintest.Rights{})
	var caseID int64
	mustOK(t, env.DB.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", strategy).Scan(ctx, &caseID))
	tot, err := svc.CaseHourTotals(ctx, who, caseID)
	mustOK(t, err)
	if tot.Phases || len(tot.ByPhase) != 0 {
		t.Fatalf("rule EXT-3: totals per phase without the Phases section: %+v", tot.ByPhase)
	}
	if len(tot.ByPerson) != 3 || tot.All.Entries != 9 || tot.All.Minutes != 2700 {
		t.Fatalf("totals %+v", tot)
	}
}

// rule EXT-2: the snapshot of what waits changes when an entry that waits is added or
// changed, and only then: "approve all" approves only what the contact's page showed.
func TestWaitingSnapshot(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	ctx := context.Background()
	approver := domaintest.Contact(t, env.DB, aino, strategy, domaintest.Sections{Other: true}, domaintest.Rights{Approve: true})
	carl := domaintest.Employee(t, env.DB, "carl")
	var caseID int64
	mustOK(t, env.DB.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", strategy).Scan(ctx, &caseID))
	snap := func() work.Snapshot {
		t.Helper()
		s, err := svc.WaitingSnapshot(ctx, approver, caseID)
		mustOK(t, err)
		return s
	}
	first := snap()
	if first != snap() {
		t.Fatal("the snapshot of the same entries differs")
	}
	t.Run("the order of the entries does not matter", func(t *testing.T) {
		vs, err := svc.WaitingVersions(ctx, approver, caseID)
		mustOK(t, err)
		slices.Reverse(vs)
		if work.SnapshotOf(vs) != first {
			t.Fatal("the snapshot depends on the order")
		}
	})
	vs, err := svc.WaitingVersions(ctx, approver, caseID)
	mustOK(t, err)
	t.Run("an entry edited by the firm", func(t *testing.T) {
		text := "Edited by the firm"
		_, err := svc.UpdateHour(ctx, carl, vs[0].ID, work.HourInput{Description: &text}, domain.Expect{})
		mustOK(t, err)
		if snap() == first {
			t.Fatal("the snapshot did not change with the version of an entry")
		}
	})
	t.Run("an entry added by the firm", func(t *testing.T) {
		before := snap()
		date, minutes := "2026-11-20", 30
		_, err := svc.CreateHour(ctx, carl, work.HourInput{CaseID: &caseID, WorkDate: &date, Minutes: &minutes})
		mustOK(t, err)
		if after := snap(); after == before || !strings.HasPrefix(string(after), "7-") {
			t.Fatalf("snapshot %q after an entry was added, before %q", after, before)
		}
	})
}

package work_test

import (
	"context"
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/work"
)

const (
	strategy = "Acme strategy review" // owned by carl; erik is a member
	aino     = "aino.virtanen@acme.example"
)

func mustCode(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); err == nil || got != want {
		t.Fatalf("error %v (code %v), want code %v", err, got, want)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// hourOf returns an entry of user on the case: invoiced or not.
func hourOf(t *testing.T, env domain.Env, user, caseName string, invoiced bool) model.WorkHour {
	t.Helper()
	var h model.WorkHour
	q := env.DB.NewSelect().Model(&h).Join("JOIN cases AS c ON c.id = work_hour.case_id").Join("JOIN users AS u ON u.id = work_hour.user_id").
		Where("c.name = ? AND u.email = ?", caseName, user+"@northwind.example").OrderExpr("work_hour.id").Limit(1)
	if invoiced {
		q = q.Where("work_hour.invoice_id IS NOT NULL")
	} else {
		q = q.Where("work_hour.invoice_id IS NULL")
	}
	mustOK(t, q.Scan(context.Background()))
	return h
}

func TestHourActions(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	ctx := context.Background()
	carl, erik, kim := domaintest.Employee(t, env.DB, "carl"), domaintest.Employee(t, env.DB, "erik"), domaintest.Employee(t, env.DB, "kim")
	open := hourOf(t, env, "erik", strategy, false)

	t.Run("the owner sees prices, an outsider nothing (CASE-5, STYLE rule 3)", func(t *testing.T) {
		h, err := svc.Hour(ctx, carl, open.ID)
		mustOK(t, err)
		if h.Decision.Hidden.Hides("price") {
			t.Fatal("the case owner should see the price")
		}
		_, err = svc.Hour(ctx, kim, open.ID)
		mustCode(t, err, apperr.NotFound)
	})

	t.Run("a member enters hours on their case; an outsider meets a missing case (CASE-12, ACC-3)", func(t *testing.T) {
		var caseID int64
		mustOK(t, env.DB.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", strategy).Scan(ctx, &caseID))
		in := work.HourInput{CaseID: &caseID, WorkDate: ptr("2026-11-20"), Minutes: ptr(90), Description: ptr(" Workshop ")}
		h, err := svc.CreateHour(ctx, erik, in)
		mustOK(t, err)
		if h.Description != "Workshop" || h.ApprovalStatus != domain.Pending || h.UnitPrice == 0 || h.Version != 1 {
			t.Fatalf("created %+v", h.WorkHour)
		}
		_, err = svc.CreateHour(ctx, kim, in)
		mustCode(t, err, apperr.NotFound)
		bad := in
		bad.Minutes = ptr(0)
		_, err = svc.CreateHour(ctx, erik, bad)
		mustCode(t, err, apperr.Invalid)
		bad = in
		bad.PhaseID = jsonapi.Nullable[int64]{Set: true, Value: 999999}
		_, err = svc.CreateHour(ctx, erik, bad)
		mustCode(t, err, apperr.Invalid)
	})

	t.Run("an edit needs the current version; a concurrent one is stale", func(t *testing.T) {
		_, err := svc.UpdateHour(ctx, erik, open.ID, work.HourInput{Minutes: ptr(30)}, domain.Version(open.Version+1))
		mustCode(t, err, apperr.Stale)
		h, err := svc.UpdateHour(ctx, erik, open.ID, work.HourInput{Minutes: ptr(30)}, domain.Version(open.Version))
		mustOK(t, err)
		if h.Minutes != 30 || h.Version != open.Version+1 {
			t.Fatalf("updated %d minutes at version %d", h.Minutes, h.Version)
		}
		_, err = svc.UpdateHour(ctx, kim, open.ID, work.HourInput{Minutes: ptr(45)}, domain.Version(h.Version))
		mustCode(t, err, apperr.NotFound)
	})

	t.Run("approval: the owner approves, the member may not (WHA-7)", func(t *testing.T) {
		_, err := svc.DecideHour(ctx, erik, open.ID, true, "", domain.AnyVersion)
		mustCode(t, err, apperr.Forbidden)
		_, err = svc.DecideHour(ctx, carl, open.ID, false, "  ", domain.AnyVersion)
		mustCode(t, err, apperr.Invalid)
		h, err := svc.DecideHour(ctx, carl, open.ID, true, "", domain.AnyVersion)
		mustOK(t, err)
		if h.ApprovalStatus != domain.Approved || h.ApprovedByUserID == nil || *h.ApprovedByUserID != carl.User.ID {
			t.Fatalf("approved %+v", h.WorkHour)
		}
		again, err := svc.DecideHour(ctx, carl, open.ID, true, "", domain.AnyVersion)
		mustOK(t, err)
		if again.Version != h.Version {
			t.Fatalf("approving again moved the version %d → %d", h.Version, again.Version)
		}
		mustCode(t, svc.DeleteHour(ctx, erik, open.ID), apperr.Conflict)
	})
}

// TestInvoicedHourApprovalFrozen: approval never gates billing (WHA-8), so an invoiced entry's
// approval is frozen for everyone, employee and portal contact alike, until a credit note
// frees it (its invoice_id is cleared). One function decides for both services.
func TestInvoicedHourApprovalFrozen(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	ctx := context.Background()
	carl := domaintest.Employee(t, env.DB, "carl")
	contact := domaintest.Contact(t, env.DB, aino, strategy, domaintest.Sections{Other: true}, domaintest.Rights{Approve: true})
	invoiced := hourOf(t, env, "erik", strategy, true)

	for name, a := range map[string]domain.Actor{"employee": carl, "contact": contact} {
		t.Run(name, func(t *testing.T) {
			_, err := svc.DecideHour(ctx, a, invoiced.ID, false, "Not ours", domain.AnyVersion)
			if !errors.Is(err, work.ErrInvoicedHour) {
				t.Fatalf("reject an invoiced hour: %v, want ErrInvoicedHour", err)
			}
		})
	}
	after := hourOf(t, env, "erik", strategy, true)
	if after.ID != invoiced.ID || after.ApprovalStatus != invoiced.ApprovalStatus || after.Version != invoiced.Version {
		t.Fatalf("the refused decisions changed the entry: %+v", after)
	}

	// A credit note frees the invoiced hours (pkg/billing clears invoice_id).
	_, err := env.DB.NewUpdate().Model((*model.WorkHour)(nil)).Set("invoice_id = NULL").Where("id = ?", invoiced.ID).Exec(ctx)
	mustOK(t, err)
	h, err := svc.DecideHour(ctx, contact, invoiced.ID, false, "Not ours", domain.AnyVersion)
	mustOK(t, err)
	if h.ApprovalStatus != domain.Rejected || h.ApprovedByContactID == nil || *h.ApprovedByContactID != contact.Contact.ID {
		t.Fatalf("contact's rejection: %+v", h.WorkHour)
	}
	h, err = svc.DecideHour(ctx, carl, invoiced.ID, true, "", domain.AnyVersion)
	mustOK(t, err)
	if h.ApprovalStatus != domain.Approved || h.RejectComment != "" || h.ApprovedByContactID != nil {
		t.Fatalf("the firm undoes the customer's rejection: %+v", h.WorkHour)
	}
}

// TestContactHourRights: a contact approves only with the Approve right (EXT-2, EXT-6), and
// sees hours only where the share shows the Other section (EXT-3, EXT-8).
func TestContactHourRights(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	ctx := context.Background()
	open := hourOf(t, env, "erik", strategy, false)

	viewer := domaintest.Contact(t, env.DB, aino, strategy, domaintest.Sections{Other: true}, domaintest.Rights{})
	_, err := svc.DecideHour(ctx, viewer, open.ID, true, "", domain.AnyVersion)
	mustCode(t, err, apperr.Forbidden)
	rows, n, err := svc.CaseHours(ctx, viewer, open.CaseID, domain.Window{Limit: 100})
	mustOK(t, err)
	if n == 0 || int64(len(rows)) != n {
		t.Fatalf("listed %d of %d hours", len(rows), n)
	}

	env = domaintest.Open(t) // one share per case: a second share shows other sections
	svc = work.New(env)
	blind := domaintest.Contact(t, env.DB, "mikko.laine@acme.example", strategy, domaintest.Sections{Phases: true}, domaintest.Rights{Approve: true})
	_, err = svc.Hour(ctx, blind, open.ID)
	mustCode(t, err, apperr.NotFound)
	_, err = svc.DecideHour(ctx, blind, open.ID, true, "", domain.AnyVersion)
	mustCode(t, err, apperr.NotFound)
	_, _, err = svc.CaseHours(ctx, blind, open.CaseID, domain.Window{Limit: 100})
	mustCode(t, err, apperr.NotFound)
}

func ptr[T any](v T) *T { return &v }

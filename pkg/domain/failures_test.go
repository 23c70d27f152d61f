package domain_test

import (
	"context"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/org"
	"github.com/caseroom/caseroom/pkg/work"
)

// Errors stay honest: when the database fails, a read or a write of any feature service
// answers an internal error (500, logged with the request ID), never a 400, 404, 409 or 422
// that would tell the caller their request or the object was at fault.
func TestDatabaseFailuresStayInternal(t *testing.T) {
	env := domaintest.Open(t)
	carl := domaintest.Employee(t, env.DB, "carl")
	ctx := context.Background()
	w, b, c, r, o := work.New(env), billing.New(env), cases.New(env), crm.New(env), org.New(env)
	if err := env.DB.Close(); err != nil {
		t.Fatal(err)
	}
	one := int64(1)
	for name, call := range map[string]func() error{
		"hour":        func() error { _, err := w.Hour(ctx, carl, 1); return err },
		"update hour": func() error { _, err := w.UpdateHour(ctx, carl, 1, work.HourInput{}, domain.Version(1)); return err },
		"decide hour": func() error { _, err := w.DecideHour(ctx, carl, 1, true, "", domain.AnyVersion); return err },
		"create hour": func() error {
			_, err := w.CreateHour(ctx, carl, work.HourInput{CaseID: &one, WorkDate: new(string), Minutes: new(int)})
			return err
		},
		"invoice":        func() error { _, err := b.Invoice(ctx, carl, 1); return err },
		"case":           func() error { _, err := c.Case(ctx, carl, 1); return err },
		"phase":          func() error { _, err := c.Phase(ctx, carl, 1); return err },
		"file":           func() error { _, err := c.File(ctx, carl, 1); return err },
		"members":        func() error { _, err := c.AddMembers(ctx, carl, 1, []int64{1}); return err },
		"contact":        func() error { _, err := r.Contact(ctx, carl, 1); return err },
		"delete contact": func() error { return r.DeleteContact(ctx, carl, 1) },
		"user":           func() error { _, err := o.User(ctx, carl, 1); return err },
		"explain":        func() error { _, err := w.ExplainHour(ctx, carl.Subject, 1, "view"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			if code := apperr.CodeOf(err); err == nil || code != apperr.Internal && code != apperr.Unavailable {
				t.Fatalf("a failed database answered %v (code %v), want an internal error", err, code)
			}
		})
	}
}

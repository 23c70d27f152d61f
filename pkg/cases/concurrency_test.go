package cases_test

import (
	"context"
	"sync"
	"testing"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
)

// Two contacts acting on the same case at once (EXT-7): one comments while the other approves
// and rejects a phase, each many times; every action is saved, and the history names each
// contact for what they did.
func TestTwoContactsAtOnceBothInTheHistory(t *testing.T) {
	env := domaintest.Open(t)
	svc := cases.New(env)
	ctx := context.Background()
	const aino, mikko = "aino.virtanen@acme.example", "mikko.laine@acme.example"
	who := domaintest.Share(t, env.DB, "Acme strategy review", domaintest.Sections{Phases: true, Other: true},
		map[string]domaintest.Rights{aino: {Comment: true}, mikko: {Approve: true}})
	var phase model.Phase
	if err := env.DB.NewSelect().Model(&phase).Join("JOIN cases AS c ON c.id = phase.case_id").
		Where("c.name = 'Acme strategy review'").OrderExpr("phase.id").Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	const rounds = 10
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range rounds {
			_, err := svc.AddComment(ctx, who[aino], cases.CommentInput{CaseID: phase.CaseID, Body: "Seen"})
			errs <- err
		}
	}()
	go func() {
		defer wg.Done()
		for i := range rounds {
			_, err := svc.DecidePhase(ctx, who[mikko], phase.ID, i%2 == 0, "Not yet", domain.AnyVersion)
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a contact's action failed: %v", err)
		}
	}
	count := func(contact domain.Actor, resource string) int {
		n, err := env.DB.NewSelect().Model((*model.ChangeRecord)(nil)).Where("actor_contact_id = ? AND resource_type = ? AND case_id = ?",
			contact.Contact.ID, resource, phase.CaseID).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if c, p := count(who[aino], "comments"), count(who[mikko], "phases"); c != rounds || p != rounds {
		t.Fatalf("history: %d comments by aino and %d phase decisions by mikko, want %d each", c, p, rounds)
	}
}

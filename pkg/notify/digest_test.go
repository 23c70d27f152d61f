package notify_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
)

// rules EXT-2, EXT-6: what a contact does on a shared case (decisions, comments, links)
// reaches the case owner and the employee who shared it in one digest each per interval,
// never the contact, and only once.
func TestDigestOfContactActions(t *testing.T) {
	w := newWorld(t)
	a := w.share("erik", map[string]domaintest.Rights{aino: {Approve: true, Comment: true, Upload: true}})[aino]
	caseID := w.caseID(strategy)
	ids := w.hours(51)
	w.approve(t, a, ids[:50]...)
	w.clock.Add(5 * time.Minute)
	_, err := w.work.DecideHour(w.ctx, a, ids[50], false, "Not our project", domain.AnyVersion)
	mustOK(t, err)
	_, err = w.cases.AddComment(w.ctx, a, cases.CommentInput{CaseID: caseID, Body: "Please add <b>the workshop</b> notes."})
	mustOK(t, err)
	_, err = w.cases.CreateLink(w.ctx, a, cases.FileInput{CaseID: &caseID, URL: ptr("https://acme.example/brief")})
	mustOK(t, err)
	var phaseID int64
	mustOK(t, w.env.DB.NewSelect().Model((*model.Phase)(nil)).Column("id").Where("case_id = ? AND name = 'Discovery'", caseID).Scan(w.ctx, &phaseID))
	_, err = w.cases.DecidePhase(w.ctx, a, phaseID, false, "The scope is wrong", domain.AnyVersion)
	mustOK(t, err)

	t.Run("nothing leaves before the first news has waited the interval", func(t *testing.T) {
		w.clock.Add(9*time.Minute + 59*time.Second)
		if n := w.deliver(); n != 0 {
			t.Fatalf("%d digests after 14:59 minutes", n)
		}
	})
	t.Run("one mail to the owner and one to the sharer, none to the contact", func(t *testing.T) {
		w.clock.Add(time.Second)
		if n := w.deliver(); n != 2 {
			t.Fatalf("%d digests, want 2", n)
		}
		w.only(erikMail)
		w.none(aino)
		m := w.only(carlMail)
		if m.Subject != "Portal news: 54 updates on your cases" {
			t.Errorf("subject %q", m.Subject)
		}
		lines := []string{"Hello Carl Consulting-Lead,",
			"- Aino Virtanen approved 50 work-hour entries (75.00 h) on Acme strategy review",
			"- Aino Virtanen rejected a work-hour entry (1.50 h) on Acme strategy review. Reason: Not our project",
			"- Aino Virtanen commented on Acme strategy review: “Please add <b>the workshop</b> notes.”",
			"- Aino Virtanen added the link acme.example to Acme strategy review",
			"- Aino Virtanen rejected the phase “Discovery” on Acme strategy review: “The scope is wrong”",
			"You get at most one such mail every 15 minutes."}
		mustContain(t, m.Text, lines...)
		mustContain(t, m.Text, "Open in Caseroom: "+app+"/app/cases/"+strconv.FormatInt(caseID, 10))
		mustContain(t, m.HTML, `href="`+app+`/app/cases/`+strconv.FormatInt(caseID, 10)+`"`)
		stopLink(t, m, "Stop these mails")
		if strings.Contains(m.Text, portal+"/cases") {
			t.Error("an employee's digest links to the portal's cases")
		}
		mustContain(t, m.HTML, `<html lang="en">`, "<li>Aino Virtanen approved 50 work-hour entries (75.00 h) on Acme strategy review</li>",
			"&lt;b&gt;the workshop&lt;/b&gt;", portal+"/unsubscribe/")
		if strings.Contains(m.HTML, "<b>the workshop") {
			t.Error("a comment became markup in the HTML part")
		}
	})
	t.Run("the next run sends nothing again", func(t *testing.T) {
		w.clock.Add(time.Hour)
		if n := w.deliver(); n != 0 {
			t.Fatalf("%d digests", n)
		}
		w.only(carlMail)
	})
	t.Run("the digest is in the firm's language", func(t *testing.T) {
		_, err := w.env.DB.NewUpdate().Model((*model.Settings)(nil)).Set("locale = 'fi'").Where("id = 1").Exec(w.ctx)
		mustOK(t, err)
		more := w.hours(2)
		w.approve(t, a, more...)
		w.clock.Add(15 * time.Minute)
		if n := w.deliver(); n != 2 {
			t.Fatalf("%d digests, want 2", n)
		}
		m := w.box.To(carlMail)[1]
		if m.Subject != "Portaalin uutiset: 2 päivitystä asioissasi" {
			t.Errorf("subject %q", m.Subject)
		}
		mustContain(t, m.Text, "Hei Carl Consulting-Lead,", "- Aino Virtanen hyväksyi 2 tuntikirjausta (3,00 h) asiassa Acme strategy review",
			"Avaa Caseroomissa: "+app+"/app/cases/"+strconv.FormatInt(caseID, 10), "Lopeta nämä viestit: "+portal+"/unsubscribe/")
		mustContain(t, m.HTML, `<html lang="fi">`, "hyväksyi 2 tuntikirjausta")
	})
	t.Run("without the app's address the digest links nowhere", func(t *testing.T) {
		w.digest.AppURL = ""
		_, err := w.work.DecideHour(w.ctx, a, w.hours(1)[0], true, "", domain.AnyVersion)
		mustOK(t, err)
		w.clock.Add(15 * time.Minute)
		if n := w.deliver(); n != 2 {
			t.Fatalf("%d digests, want 2", n)
		}
		m := w.box.To(carlMail)[2]
		mustContain(t, m.Text, "hyväksyi tuntikirjauksen")
		if strings.Contains(m.Text, "/app/") || strings.Contains(m.HTML, "/app/") {
			t.Errorf("a link to the app without its address:\n%s", m.Text)
		}
	})
}

// News exists exactly when the action committed: a refused decision records none, and
// deciding again what is decided records none either.
func TestNewsOnlyOfWhatHappened(t *testing.T) {
	w := newWorld(t)
	a := w.share("carl", map[string]domaintest.Rights{aino: {Approve: true}})[aino]
	id := w.hours(1)[0]
	_, err := w.work.DecideHour(w.ctx, a, id, false, "", domain.AnyVersion) // a rejection needs a reason
	if err == nil {
		t.Fatal("a rejection without a reason was taken")
	}
	_, err = w.cases.AddComment(w.ctx, a, cases.CommentInput{CaseID: w.caseID(strategy), Body: "No Comment right"})
	if err == nil {
		t.Fatal("a comment without the Comment right was taken")
	}
	for range 2 {
		_, err = w.work.DecideHour(w.ctx, a, id, true, "", domain.AnyVersion)
		mustOK(t, err)
	}
	n, err := w.env.DB.NewSelect().Table("news_items").Count(w.ctx)
	mustOK(t, err)
	if n != 1 {
		t.Fatalf("%d news items, want 1: the owner, who also shared the case, once", n)
	}
}

// Several replicas run the digest at once: each recipient still gets one mail.
func TestConcurrentDigestRunsSendOneMail(t *testing.T) {
	w := newWorld(t)
	a := w.share("erik", map[string]domaintest.Rights{aino: {Approve: true}})[aino]
	w.approve(t, a, w.hours(20)...)
	w.clock.Add(15 * time.Minute)
	workers := []*notify.Worker{
		{DB: w.env.DB, Now: w.clock.Now, Log: w.env.Log, PortalURL: portal},
		{DB: w.env.DB, Now: w.clock.Now, Log: w.env.Log, PortalURL: portal},
		{DB: w.env.DB, Now: w.clock.Now, Log: w.env.Log, PortalURL: portal},
	}
	var wg sync.WaitGroup
	total := make([]int, len(workers))
	errs := make([]error, len(workers))
	for i, dw := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				n, err := dw.RunOnce(context.Background())
				total[i] += n
				if err != nil {
					errs[i] = err
				}
			}
		}()
	}
	wg.Wait()
	sum := 0
	for i := range workers {
		mustOK(t, errs[i])
		sum += total[i]
	}
	if sum != 2 {
		t.Fatalf("the runs queued %d digests, want 2", sum)
	}
	if n := w.deliver(); n != 0 {
		t.Fatalf("%d digests left", n)
	}
	w.only(carlMail)
	w.only(erikMail)
}

// A worker that could lock only part of a recipient's news, because another holds the rest,
// sends none of it: the news goes out later in one mail, never split in two.
func TestDigestIsNeverSplit(t *testing.T) {
	if !dbtest.IsPostgres() {
		t.Skip("PostgreSQL only: SQLite runs one write transaction at a time")
	}
	w := newWorld(t)
	a := w.share("carl", map[string]domaintest.Rights{aino: {Approve: true}})[aino]
	w.approve(t, a, w.hours(3)...)
	w.clock.Add(15 * time.Minute)
	other, err := w.env.DB.BeginTx(w.ctx, nil) // another worker, in the middle of its claim
	mustOK(t, err)
	var held []int64
	mustOK(t, other.NewSelect().TableExpr("news_items").Column("id").Where("sent_at IS NULL").OrderExpr("id").Limit(1).
		For("UPDATE").Scan(w.ctx, &held))
	if n := w.deliver(); n != 0 {
		t.Fatalf("%d digests while another worker holds part of the news", n)
	}
	mustOK(t, other.Rollback())
	if n := w.deliver(); n != 1 {
		t.Fatalf("%d digests, want 1", n)
	}
	mustContain(t, w.only(carlMail).Text, "approved 3 work-hour entries")
}

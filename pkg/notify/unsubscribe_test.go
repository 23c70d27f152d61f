package notify_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
)

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	return strings.TrimPrefix(link, portal+"/unsubscribe/")
}

// An employee stops the digest from the link of a mail: opening what the link stops
// changes nothing, stopping it does, in the history, and the link can start it again.
func TestEmployeeUnsubscribe(t *testing.T) {
	w := newWorld(t)
	svc := notify.NewService(w.env)
	a := w.share("carl", map[string]domaintest.Rights{aino: {Approve: true}})[aino]
	approve := func() {
		t.Helper()
		w.approve(t, a, w.hours(1)...)
		w.clock.Add(15 * time.Minute)
	}
	approve()
	w.deliver()
	token := tokenOf(t, stopLink(t, w.only(carlMail), "Stop these mails"))

	t.Run("looking does not stop anything", func(t *testing.T) {
		for range 2 {
			sub, err := svc.Subscription(w.ctx, token)
			mustOK(t, err)
			if !sub.Employee || sub.Name != "Carl Consulting-Lead" || !slices.Equal(sub.Stops, []string{notify.StopDigest}) {
				t.Fatalf("subscription %+v", sub)
			}
		}
		approve()
		if n := w.deliver(); n != 1 {
			t.Fatalf("%d digests", n)
		}
	})
	t.Run("an unknown link is a clear NotFound", func(t *testing.T) {
		for _, bad := range []string{"", "nope", token + "x", strings.Repeat("a", 5000)} {
			_, err := svc.Subscription(w.ctx, bad)
			if !errors.Is(err, notify.ErrUnknownLink) || apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("token %.20q: %v", bad, err)
			}
			_, err = svc.Unsubscribe(w.ctx, bad)
			if apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("token %.20q: %v", bad, err)
			}
		}
	})
	t.Run("stopping stops, once, recorded", func(t *testing.T) {
		sub, err := svc.Unsubscribe(w.ctx, token)
		mustOK(t, err)
		if !slices.Equal(sub.Stops, []string{notify.StopDigest}) {
			t.Fatalf("stopped %+v", sub)
		}
		again, err := svc.Unsubscribe(w.ctx, token)
		mustOK(t, err)
		if len(again.Stops) != 0 {
			t.Fatalf("stopped again %+v", again)
		}
		approve()
		if n := w.deliver(); n != 0 {
			t.Fatalf("%d digests after stopping", n)
		}
		n, err := w.env.DB.NewSelect().Model((*model.ChangeRecord)(nil)).
			Where("resource_type = 'users' AND actor_user_id = resource_id AND changes LIKE ?", "%notifyDigest%").Count(w.ctx)
		mustOK(t, err)
		if n != 1 {
			t.Fatalf("%d history entries", n)
		}
	})
	t.Run("the link starts the digest again", func(t *testing.T) {
		mustOK(t, svc.Resume(w.ctx, token))
		approve()
		if n := w.deliver(); n != 1 {
			t.Fatalf("%d digests after resuming", n)
		}
	})
}

// A contact's link stops their opt-in mails: a change of their preferences, by them, with a
// new version of the contact and its history.
func TestContactUnsubscribe(t *testing.T) {
	w := newWorld(t)
	svc := notify.NewService(w.env)
	who := w.share("carl", map[string]domaintest.Rights{aino: {Approve: true}})
	p, err := w.crm.SetPreferences(w.ctx, who[aino], crm.PreferencesInput{NotifyPendingHours: ptr(true), NotifyNewFiles: ptr(true)})
	mustOK(t, err)
	w.hours(1)
	w.clock.Add(15 * time.Minute)
	w.deliver()
	token := tokenOf(t, stopLink(t, w.only(aino), "Stop these mails"))

	sub, err := svc.Subscription(w.ctx, token)
	mustOK(t, err)
	if sub.Employee || sub.Name != "Aino" || !slices.Equal(sub.Stops, []string{notify.StopPendingHours, notify.StopNewFiles}) {
		t.Fatalf("subscription %+v", sub)
	}
	if _, err := svc.Unsubscribe(w.ctx, token); err != nil {
		t.Fatal(err)
	}
	after, err := w.crm.Preferences(w.ctx, who[aino])
	mustOK(t, err)
	if after.NotifyPendingHours || after.NotifyNewFiles || after.Version != p.Version+1 {
		t.Fatalf("preferences %+v after %+v", after, p)
	}
	n, err := w.env.DB.NewSelect().Model((*model.ChangeRecord)(nil)).
		Where("resource_type = 'contacts' AND resource_id = ? AND actor_contact_id = ?", w.contactID(aino), w.contactID(aino)).Count(w.ctx)
	mustOK(t, err)
	if n != 2 {
		t.Fatalf("%d history entries, want the opt-in and the stop", n)
	}
	if err := svc.Resume(w.ctx, token); !errors.Is(err, notify.ErrContactResume) {
		t.Fatalf("resume: %v", err)
	}
	w.hours(1)
	w.clock.Add(15 * time.Minute)
	if n := w.deliver(); n != 0 {
		t.Fatalf("%d digests after stopping", n)
	}
}

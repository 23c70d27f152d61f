package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
)

// What an unsubscribe link stops (Subscription.Stops).
const (
	StopDigest       = "digest"        // an employee's digest of their customers' actions
	StopPendingHours = "pending_hours" // a contact's mails about hours to approve
	StopNewFiles     = "new_files"     // a contact's mails about new files and links
)

// maxTokenLen bounds what is hashed: a real token is 43 characters.
const maxTokenLen = 100

// newToken stores a fresh unsubscribe link of r and returns its token. Each mail has its
// own: the database keeps only hashes, so a link cannot be made again from it, and every
// mail's link keeps working.
func newToken(ctx context.Context, tx bun.IDB, r recipient, now time.Time) (string, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token := base64.RawURLEncoding.EncodeToString(b)
	_, err := tx.NewRaw("INSERT INTO unsubscribe_tokens (token_hash, user_id, contact_id, created_at) VALUES (?, ?, ?, ?)",
		tokenHash(token), r.UserID, r.ContactID, now.UTC()).Exec(ctx)
	if err != nil {
		return "", apperr.Wrap(err, "store an unsubscribe link")
	}
	return token, nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Subscription is what an unsubscribe link stops.
type Subscription struct {
	Employee bool
	Name     string // the first name of a contact, the name of an employee
	// Stops lists the optional mails that are on (StopDigest, StopPendingHours,
	// StopNewFiles); empty when everything is stopped already.
	Stops []string
}

// Service answers unsubscribe links. Build it with NewService.
type Service struct {
	env domain.Env
	crm *crm.Service
}

// NewService returns the unsubscribe service over env.
func NewService(env domain.Env) *Service { return &Service{env: env, crm: crm.New(env)} }

// ErrUnknownLink is the answer to a link that is not, or no longer, an unsubscribe link.
var ErrUnknownLink = apperr.E(apperr.NotFound, "This link does not stop any mails: it is incomplete, or older than a year.")

// owner is whom a link belongs to, with what they get now.
type owner struct {
	UserID             *int64 `bun:"user_id"`
	ContactID          *int64 `bun:"contact_id"`
	AccountID          int64  `bun:"account_id"`
	Name               string `bun:"name"`
	NotifyDigest       bool   `bun:"notify_digest"`
	NotifyPendingHours bool   `bun:"notify_pending_hours"`
	NotifyNewFiles     bool   `bun:"notify_new_files"`
}

func (o owner) subscription() *Subscription {
	s := &Subscription{Employee: o.UserID != nil, Name: o.Name}
	if o.NotifyDigest {
		s.Stops = append(s.Stops, StopDigest)
	}
	if o.NotifyPendingHours {
		s.Stops = append(s.Stops, StopPendingHours)
	}
	if o.NotifyNewFiles {
		s.Stops = append(s.Stops, StopNewFiles)
	}
	return s
}

func (s *Service) owner(ctx context.Context, db bun.IDB, token string) (*owner, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, ErrUnknownLink
	}
	var o owner
	err := db.NewSelect().TableExpr("unsubscribe_tokens AS t").ColumnExpr("t.user_id, t.contact_id").
		ColumnExpr("COALESCE(ct.account_id, 0) AS account_id, COALESCE(u.name, ct.first_name, '') AS name").
		ColumnExpr("(u.id IS NOT NULL AND "+takesDigest+") AS notify_digest").
		ColumnExpr("COALESCE(ct.notify_pending_hours, FALSE) AS notify_pending_hours, COALESCE(ct.notify_new_files, FALSE) AS notify_new_files").
		Join("LEFT JOIN users AS u ON u.id = t.user_id").Join("LEFT JOIN contacts AS ct ON ct.id = t.contact_id").
		Where("t.token_hash = ?", tokenHash(token)).Scan(ctx, &o)
	if domain.IsNoRows(err) {
		return nil, ErrUnknownLink
	}
	if err != nil {
		return nil, apperr.Wrap(err, "look up an unsubscribe link")
	}
	return &o, nil
}

// Subscription returns what the link token stops, changing nothing: opening a link (as
// mail scanners do) must not unsubscribe anyone. Errors: ErrUnknownLink (apperr.NotFound).
func (s *Service) Subscription(ctx context.Context, token string) (*Subscription, error) {
	o, err := s.owner(ctx, s.env.DB, token)
	if err != nil {
		return nil, err
	}
	return o.subscription(), nil
}

// Unsubscribe stops the optional mails of the link token's owner and returns what it
// stopped: an employee's digest, or a contact's opt-in mails (a change of their preferences,
// by them, in the history). Stopping what is stopped changes nothing. Errors: ErrUnknownLink
// (apperr.NotFound).
func (s *Service) Unsubscribe(ctx context.Context, token string) (*Subscription, error) {
	o, err := s.owner(ctx, s.env.DB, token)
	if err != nil {
		return nil, err
	}
	was := o.subscription()
	if len(was.Stops) == 0 {
		return was, nil
	}
	if o.ContactID != nil {
		off := false
		who := domain.PortalContact(domain.Contact{ID: *o.ContactID, AccountID: o.AccountID})
		_, err := s.crm.SetPreferences(ctx, who, crm.PreferencesInput{NotifyPendingHours: &off, NotifyNewFiles: &off})
		return was, err
	}
	return was, s.setDigest(ctx, *o.UserID, false)
}

// ErrContactResume refuses to resume a contact's mails from a link: they choose them again
// in their preferences, where they see each of them.
var ErrContactResume = apperr.E(apperr.Invalid, "Choose your mails again in your preferences.")

// Resume turns an employee's digest on again from a link that stopped it: the internal app
// has no page for it. Errors: ErrUnknownLink (apperr.NotFound), ErrContactResume
// (apperr.Invalid).
func (s *Service) Resume(ctx context.Context, token string) error {
	o, err := s.owner(ctx, s.env.DB, token)
	if err != nil {
		return err
	}
	if o.UserID == nil {
		return ErrContactResume
	}
	return s.setDigest(ctx, *o.UserID, true)
}

// setDigest turns an employee's digest on or off, recorded in the history as their own
// change. Setting it as it is changes nothing.
func (s *Service) setDigest(ctx context.Context, userID int64, on bool) error {
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		now := s.env.Now().UTC()
		var res sql.Result
		var err error
		if on {
			res, err = tx.NewDelete().TableExpr("digest_opt_outs").Where("user_id = ?", userID).Exec(ctx)
		} else {
			res, err = tx.NewRaw("INSERT INTO digest_opt_outs (user_id, stopped_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
				userID, now).Exec(ctx)
		}
		if err != nil {
			return apperr.Wrap(err, "change the digest")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already so
		}
		if err := history.Record(ctx, tx, now, history.Entry{Actor: history.Actor{UserID: userID}, Action: "update",
			ResourceType: "users", ResourceID: userID, SubjectUserID: userID,
			Changes: map[string]history.Change{"notifyDigest": {Before: !on, After: on}}}); err != nil {
			return apperr.Wrap(err, "record the change of the digest")
		}
		return nil
	})
}

package extranet

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/throttle"
)

// Service holds what the portal's use cases need. Build it with New.
type Service struct {
	db      *bun.DB
	now     func() time.Time
	limiter *throttle.Limiter
	hash    func(string) (string, error)
	portal  string
	sleep   func(context.Context, time.Duration)
}

// Options configure a Service.
type Options struct {
	DB *bun.DB
	// Now is the clock; nil means time.Now. Expiry of passwords, invites and shares is
	// decided against it (STYLE rule 8).
	Now func() time.Time
	// Hash hashes a new password; nil means auth.HashPassword (argon2id).
	Hash func(string) (string, error)
	// PortalURL is the portal's public address, which password links in mails point to.
	PortalURL string
	// Sleep waits d or until ctx ends; nil means a timer. RequestReset waits with it so that
	// every address is answered after the same time (ResetAnswerTime).
	Sleep func(ctx context.Context, d time.Duration)
}

// New returns a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Hash == nil {
		o.Hash = hashPassword
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return &Service{db: o.DB, now: o.Now, limiter: &throttle.Limiter{DB: o.DB, Now: o.Now}, hash: o.Hash,
		portal: strings.TrimRight(o.PortalURL, "/"), sleep: o.Sleep}
}

// sleep waits d, or less when ctx ends first (the client went away).
func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

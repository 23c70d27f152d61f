package extranet

import (
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// DefaultMaxUpload is the upload limit when none is configured (CASEROOM_MAX_UPLOAD_BYTES).
const DefaultMaxUpload = 20 << 20

// Service holds what the portal's use cases need. Build it with New.
type Service struct {
	db        *bun.DB
	files     storage.Store // nil: files cannot be stored (uploads answer Unavailable)
	now       func() time.Time
	limiter   *throttle.Limiter
	maxUpload int64
	hash      func(string) (string, error)
}

// Options configure a Service.
type Options struct {
	DB    *bun.DB
	Files storage.Store
	// Now is the clock; nil means time.Now. Expiry of passwords, invites and shares is
	// decided against it (STYLE rule 8).
	Now func() time.Time
	// MaxUpload is the largest file a contact may upload, in bytes (default 20 MiB).
	MaxUpload int64
	// Hash hashes a new password; nil means auth.HashPassword (argon2id).
	Hash func(string) (string, error)
}

// New returns a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxUpload <= 0 {
		o.MaxUpload = DefaultMaxUpload
	}
	if o.Hash == nil {
		o.Hash = hashPassword
	}
	return &Service{db: o.DB, files: o.Files, now: o.Now, limiter: &throttle.Limiter{DB: o.DB, Now: o.Now},
		maxUpload: o.MaxUpload, hash: o.Hash}
}

// Page selects a slice of a list.
type Page = domain.Window

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

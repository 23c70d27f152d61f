package auth

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// TestSignIn: the one sign-in of both services. The lookup stands in for the users of the
// API and the contacts of the extranet.
func TestSignIn(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	limiter := &throttle.Limiter{DB: dbtest.Open(t), Now: func() time.Time { return now }}
	limits := LoginLimits{PerAccount: throttle.Rule{Prefix: "t:account:", Max: 2, Window: time.Minute},
		PerIP: throttle.Rule{Prefix: "t:ip:", Max: 10, Window: time.Minute}}
	hash, err := HashPasswordWith("right password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	lookupErr := errors.New("database down")
	lookup := func(_ context.Context, email string) (string, string, error) {
		switch email {
		case "ann@example.com":
			return "ann", hash, nil
		case "bad@example.com":
			return "bad", "not a hash", nil
		case "down@example.com":
			return "", "", lookupErr
		}
		return "", "", nil
	}
	wrong := apperr.E(apperr.Unauthenticated, "wrong")
	signIn := func(email, password string) (string, error) {
		return SignIn(ctx, limiter, limits, email, password, "192.0.2.1", lookup, wrong)
	}
	t.Run("the right password, in any letter case of the email", func(t *testing.T) {
		if who, err := signIn(" Ann@Example.com ", "right password"); err != nil || who != "ann" {
			t.Fatalf("%q, %v", who, err)
		}
	})
	t.Run("a wrong password and an unknown email answer wrong", func(t *testing.T) {
		for _, email := range []string{"ann@example.com", "nobody@example.com"} {
			if _, err := signIn(email, "guess"); !errors.Is(err, wrong) {
				t.Fatalf("%s: %v", email, err)
			}
		}
	})
	t.Run("at the limit even the right password is refused; another account is not", func(t *testing.T) {
		if _, err := signIn("ann@example.com", "guess"); !errors.Is(err, wrong) {
			t.Fatal(err)
		}
		if _, err := signIn("ann@example.com", "right password"); apperr.CodeOf(err) != apperr.RateLimited {
			t.Fatalf("error %v, want rate_limited", err)
		}
		if _, err := signIn("bad@example.com", "x"); apperr.CodeOf(err) != apperr.Internal || !errors.Is(err, ErrBadHash) {
			t.Fatalf("a malformed stored hash: %v", err)
		}
	})
	t.Run("a failing lookup is not a refusal", func(t *testing.T) {
		if _, err := signIn("down@example.com", "x"); !errors.Is(err, lookupErr) {
			t.Fatalf("error %v", err)
		}
	})
}

// TestSession: the shape of the sessions resource both services answer with.
func TestSession(t *testing.T) {
	exp := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	i, err := NewIssuer([]byte(strings.Repeat("s", 32)), AudienceAPI, time.Hour, func() time.Time { return exp.Add(-time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	s, err := i.Session(7, 3)
	if err != nil {
		t.Fatal(err)
	}
	if id, v, err := i.Verify(s.Token); err != nil || id != 7 || v != 3 {
		t.Fatalf("token of %d v%d: %v", id, v, err)
	}
	a := s.Attributes()
	if s.ResourceID() != "7-"+strconv.FormatInt(exp.Unix(), 10) || a["tokenType"] != "Bearer" || a["expiresAt"] != "2026-11-24T10:00:00Z" {
		t.Fatalf("session %s %v", s.ResourceID(), a)
	}
}

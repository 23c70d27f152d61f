package org_test

import (
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/org"
	"github.com/caseroom/caseroom/pkg/rights"
)

func (f *fixture) login(key, password string) (string, error) {
	f.t.Helper()
	s, err := f.svc.Login(f.ctx, f.tokens, org.LoginInput{Email: ptr(key + "@northwind.example"), Password: ptr(password), ClientIP: "192.0.2.1"})
	if err != nil {
		return "", err
	}
	return s.Token, nil
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	t.Run("the right password gives a session token of the user", func(t *testing.T) {
		s, err := f.svc.Login(f.ctx, f.tokens, org.LoginInput{Email: ptr(" Ada@Northwind.example "), Password: ptr(demo.Password)})
		mustOK(t, err)
		if id, _, err := f.tokens.Verify(s.Token); err != nil || id != f.userID("ada") || s.SubjectID != id {
			t.Fatalf("token of %d (%v), session of %d", id, err, s.SubjectID)
		}
	})
	t.Run("a wrong password and an unknown email answer alike", func(t *testing.T) {
		_, a := f.login("bea", "nope")
		_, b := f.login("nobody", "nope")
		if !errors.Is(a, org.ErrWrongLogin) || !errors.Is(b, org.ErrWrongLogin) {
			t.Fatalf("answers %v, %v", a, b)
		}
	})
	t.Run("a missing password is Invalid", func(t *testing.T) {
		_, err := f.svc.Login(f.ctx, f.tokens, org.LoginInput{Email: ptr("ada@northwind.example")})
		wantCode(t, err, apperr.Invalid)
	})
	t.Run("failures are limited per account, a right password included", func(t *testing.T) {
		for range org.LoginPerAccount.Max {
			_, err := f.login("gus", "wrong")
			wantCode(t, err, apperr.Unauthenticated)
		}
		_, err := f.login("gus", demo.Password)
		wantCode(t, err, apperr.RateLimited)
		_, err = f.login("fay", demo.Password)
		mustOK(t, err)
	})
}

func TestAuthenticate(t *testing.T) {
	f := newFixture(t)
	cache := access.NewCache(0)
	kim, err := f.login("kim", demo.Password)
	mustOK(t, err)
	t.Run("a session token authenticates its user", func(t *testing.T) {
		c, err := f.svc.Authenticate(f.ctx, f.tokens, cache, kim)
		mustOK(t, err)
		if c.User.ID != f.userID("kim") || c.ViaKey || c.Subject == nil {
			t.Fatalf("caller %+v", c)
		}
	})
	t.Run("a forged token is a bad credential", func(t *testing.T) {
		_, err := f.svc.Authenticate(f.ctx, f.tokens, cache, "abc.def.ghi")
		if !errors.Is(err, org.ErrBadCredential) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("rule PRF-6: a rights change applies at the next request", func(t *testing.T) {
		before, err := f.svc.Authenticate(f.ctx, f.tokens, cache, kim)
		mustOK(t, err)
		_, err = f.svc.UpdateUser(f.ctx, f.actor("ada"), f.userID("kim"), org.UserInput{ProfileID: ref(f.profileID("business_controller"))}, domain.AnyVersion)
		mustOK(t, err)
		after, err := f.svc.Authenticate(f.ctx, f.tokens, cache, kim)
		mustOK(t, err)
		if before.Subject.Rights.Cases == after.Subject.Rights.Cases || after.Subject.Rights.Cases != rights.CasesAll {
			t.Fatalf("cases right %v → %v", before.Subject.Rights.Cases, after.Subject.Rights.Cases)
		}
	})
	t.Run("logging out ends every session", func(t *testing.T) {
		c, err := f.svc.Authenticate(f.ctx, f.tokens, cache, kim)
		mustOK(t, err)
		mustOK(t, f.svc.EndSessions(f.ctx, *c))
		_, err = f.svc.Authenticate(f.ctx, f.tokens, cache, kim)
		wantCode(t, err, apperr.Unauthenticated)
	})
}

// Package org is the feature service of the organisation: users, business units, profiles,
// settings, API keys, sessions and the authentication of requests, and explaining access.
// It owns their SQL, transactions, rights decisions, history and invariants (the supervisor
// tree, the unit tree, the last Administrator). Every write to what a subject is built from
// moves the rights epoch in the writing transaction, so that a rights change applies at the
// next request on every replica (PRF-6). The API's HTTP package calls it with a typed actor
// (pkg/domain).
package org

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// Service is the org service. Build it with New.
type Service struct {
	env     domain.Env
	limiter *throttle.Limiter // login attempts, counted in the database across replicas
}

// New returns the org service over env; log receives what only operators should see.
func New(env domain.Env) *Service {
	return &Service{env: env, limiter: &throttle.Limiter{DB: env.DB, Now: env.Now}}
}

// RightsChanged moves the rights epoch inside tx. Every write to what a subject is built
// from (users, units, profiles, overrides, case members, settings, invoice statuses) calls it
// after its other writes, so that the change and the new epoch commit together and every
// replica rebuilds its subjects on the next request (PRF-6).
func RightsChanged(ctx context.Context, tx bun.IDB) error {
	if err := access.Bump(ctx, tx); err != nil {
		return apperr.Wrap(err, "record a rights change")
	}
	return nil
}

// treeErrors are the rights package's invariants of the supervisor tree, the unit tree and
// the profiles (ORG-1, ORG-3, PRF-1, PRF-4).
var treeErrors = []error{rights.ErrSupervisorCycle, rights.ErrSecondHead, rights.ErrNoHead, rights.ErrHasSubordinates,
	rights.ErrUnknownUser, rights.ErrUnitCycle, rights.ErrSecondRootUnit, rights.ErrNoRootUnit, rights.ErrUnknownUnit,
	rights.ErrLastAdministrator, rights.ErrAdministratorProfileCut}

// treeError turns a broken tree or profile invariant into apperr.Unprocessable at pointer
// and passes anything else through.
func treeError(err error, pointer string) error {
	for _, known := range treeErrors {
		if errors.Is(err, known) {
			return &apperr.Error{Code: apperr.Unprocessable, Detail: strings.TrimPrefix(err.Error(), "rights: "), Pointer: pointer, Err: err}
		}
	}
	return err
}

// uniqueViolation recognises a unique-constraint error from PostgreSQL or SQLite.
func uniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE=23505") ||
		strings.Contains(msg, "duplicate key value")
}

// taken answers a unique-constraint error with apperr.Conflict at pointer, and passes
// anything else through.
func taken(err error, detail, pointer string) error {
	if uniqueViolation(err) {
		return apperr.E(apperr.Conflict, "%s", detail).AtPointer(pointer)
	}
	return err
}

// required refuses a missing or blank text attribute; it returns the trimmed text.
func required(v *string, name string) (string, error) {
	if v == nil || strings.TrimSpace(*v) == "" {
		return "", apperr.E(apperr.Invalid, "%s is required", name).AtPointer("/data/attributes/" + name)
	}
	return strings.TrimSpace(*v), nil
}

// rename sets *dst to the trimmed name when one was sent; a blank one is refused.
func rename(dst *string, v *string, name string) error {
	if v == nil {
		return nil
	}
	if strings.TrimSpace(*v) == "" {
		return apperr.E(apperr.Invalid, "%s may not be empty", name).AtPointer("/data/attributes/" + name)
	}
	*dst = strings.TrimSpace(*v)
	return nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

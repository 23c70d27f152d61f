package domain

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/rights"
)

// NotFound is the one answer for a missing object and for one the actor may not view: the
// text is the same either way (STYLE rule 3, EXT-8).
func NotFound(what string, id int64) error {
	return apperr.E(apperr.NotFound, "No %s %d.", what, id)
}

// Denied turns a refused decision into the actor-facing error: Forbidden with the rule IDs.
func Denied(d rights.Decision) error {
	return apperr.E(apperr.Forbidden, "%s", d.Reason.Message()).Because(strings.Join(d.Reason.Rules(), ","))
}

// Decide returns the error an actor meets acting on an object: NotFound (what, id) when the
// view decision refuses, Forbidden when the action's does, nil when both allow.
func Decide(view, act rights.Decision, what string, id int64) error {
	if !view.Allow {
		return NotFound(what, id)
	}
	if !act.Allow {
		return Denied(act)
	}
	return nil
}

// DecideAction decides action on object what/id for subject s with decide, the rights
// function of the object's type (rights.DecideCase, rights.DecideHours, ...), whose view
// action is view. It returns the view decision, whose Hidden fields mask the object, and the
// error of Decide: NotFound when the view is refused (STYLE rule 3), Forbidden when the
// action is. Viewing is decided once when action is view.
func DecideAction[A comparable, T any](decide func(*rights.Subject, A, T) rights.Decision, s *rights.Subject,
	view, action A, attrs T, what string, id int64) (rights.Decision, error) {
	v := decide(s, view, attrs)
	if action == view {
		return v, Decide(v, v, what, id)
	}
	return v, Decide(v, decide(s, action, attrs), what, id)
}

// IsNoRows reports whether err is a query that found no row.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// Loaded maps the error of loading one object: no row is NotFound (what, id), anything else
// a database failure wrapped with the object's id. It never turns a failure into a 404.
func Loaded(err error, what string, id int64) error {
	switch {
	case err == nil:
		return nil
	case IsNoRows(err):
		return NotFound(what, id)
	}
	return apperr.Wrap(err, fmt.Sprintf("load %s %d", what, id))
}

// UnknownAction refuses an action name that explain does not know for a type.
func UnknownAction(action, typ string) error {
	return &apperr.Error{Code: apperr.Invalid, Detail: fmt.Sprintf("unknown action %q for %s", action, typ), Param: "action"}
}

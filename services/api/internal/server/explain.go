package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// mayExplain: explaining someone else's access reveals their rights, so it needs Users all
// or Administrator edit_settings and up.
func mayExplain(s *rights.Subject) error {
	if s.Rights.Users == rights.UsersAll || s.Rights.Admin >= rights.AdminEditSettings {
		return nil
	}
	return apperr.E(apperr.Forbidden, "Explaining access needs the Users right 'all' or Administrator 'edit_settings'.").Because("USR-4,ADM-2")
}

// explainAccess answers GET /api/v1/access/explain?user=ID&action=ACTION&resource=TYPE/ID:
// the decision for that user, with the rule IDs behind it and what would be hidden.
func (s *Server) explainAccess(c *fiber.Ctx) error {
	p := caller(c)
	if err := mayExplain(p.Subject); err != nil {
		return err
	}
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Custom: []string{"user", "action", "resource"}})
	if err != nil {
		return err
	}
	userRaw, action, resource := q.Custom.Get("user"), q.Custom.Get("action"), q.Custom.Get("resource")
	for name, v := range map[string]string{"user": userRaw, "action": action, "resource": resource} {
		if v == "" {
			return &apperr.Error{Code: apperr.Invalid, Detail: name + " is required", Param: name}
		}
	}
	ctx := c.UserContext()
	userID, _ := strconv.ParseInt(userRaw, 10, 64)
	var u model.User
	if err := s.db.NewSelect().Model(&u).Where("id = ?", userID).Scan(ctx); err != nil {
		if isNoRows(err) {
			return &apperr.Error{Code: apperr.NotFound, Detail: "No user " + userRaw + ".", Param: "user"}
		}
		return apperr.Wrap(err, "load user")
	}
	subject, err := access.LoadSubject(ctx, s.db, &u)
	if err != nil {
		return apperr.Wrap(err, "load subject")
	}
	typ, rawID, _ := strings.Cut(resource, "/")
	objID, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || objID <= 0 {
		return &apperr.Error{Code: apperr.Invalid, Detail: "resource must look like cases/12", Param: "resource"}
	}
	// The asker must be able to view the object themself: explaining is not a way around
	// STYLE rule 3 (an object they may not view is missing to them).
	if typ != "users" {
		if own, err := s.decideFor(ctx, p.Subject, typ, objID, "view"); err != nil || !own.Allow {
			if err != nil && apperr.CodeOf(err) != apperr.NotFound {
				return err
			}
			return &apperr.Error{Code: apperr.NotFound, Detail: "No such " + typ + ".", Param: "resource"}
		}
	}
	d, err := s.decideFor(ctx, subject, typ, objID, action)
	if err != nil {
		return err
	}
	e := rights.Explain(d)
	attrs := map[string]any{"user": userRaw, "action": action, "resource": resource, "allowed": e.Allowed,
		"rules": nonNil(e.Rules), "message": e.Message}
	if len(e.Hidden) > 0 {
		attrs["hidden"], attrs["hiddenRules"] = e.Hidden, e.HiddenRules
	}
	res := &jsonapi.Resource{Type: "access-decisions", ID: userRaw + ":" + action + ":" + resource, Attributes: attrs}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.One(res)})
}

// decideFor decides action on object typ/id for subject through the type's kind. A missing
// object is NotFound at the resource parameter.
func (s *Server) decideFor(ctx context.Context, subj *rights.Subject, typ string, id int64, action string) (rights.Decision, error) {
	k, ok := s.registry[typ]
	if !ok || k.explain == nil {
		return rights.Decision{}, &apperr.Error{Code: apperr.Invalid, Detail: "resource type must be cases, invoices, work-hours, accounts or users", Param: "resource"}
	}
	d, err := k.explain(ctx, subj, id, action)
	if apperr.CodeOf(err) == apperr.NotFound {
		return rights.Decision{}, &apperr.Error{Code: apperr.NotFound, Detail: "No such " + typ + ".", Param: "resource"}
	}
	return d, err
}

// caseViewers answers GET /api/v1/cases/:id/viewers: every active user who may view the case,
// with the rule that lets them and what they see hidden.
func (s *Server) caseViewers(c *fiber.Ctx) error {
	p := caller(c)
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return err
	}
	row, _, err := s.loadCase(c.UserContext(), p, c.Params("id"), rights.CaseView)
	if err != nil {
		return err
	}
	if err := mayExplain(p.Subject); err != nil {
		return err
	}
	subjects, err := access.LoadAllSubjects(c.UserContext(), s.db)
	if err != nil {
		return apperr.Wrap(err, "load subjects")
	}
	viewers := rights.CaseViewers(caseAttrs(&row.Case), subjects)
	out := make([]*jsonapi.Resource, 0, len(viewers))
	for _, v := range viewers {
		e := rights.Explain(v.Decision)
		uid := strconv.FormatInt(v.UserID, 10)
		attrs := map[string]any{"rules": nonNil(e.Rules), "message": e.Message}
		if len(e.Hidden) > 0 {
			attrs["hidden"], attrs["hiddenRules"] = e.Hidden, e.HiddenRules
		}
		out = append(out, &jsonapi.Resource{Type: "case-viewers", ID: strconv.FormatInt(row.ID, 10) + ":" + uid, Attributes: attrs,
			Relationships: map[string]jsonapi.Relationship{"user": {Data: jsonapi.ToOne("users", uid)}}})
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out)})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
